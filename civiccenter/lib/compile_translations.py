"""Build locale/*/LC_MESSAGES/*.mo from the .po catalogs.

Django's compilemessages needs GNU gettext's msgfmt, which a fresh machine may
not have; polib does the same in pure Python. Only stale catalogs are rebuilt.
Run as `python -m civiccenter.lib.compile_translations`.
"""

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


def compile_all(locale_dir: Path = LOCALE_DIR) -> int:
    built = 0
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        built += 1
    return built


if __name__ == "__main__":
    count = compile_all()
    print(f"Translations: {count} catalog(s) compiled." if count else "Translations: up to date.")
