from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """One-time link for confirming an e-mail address.

    The hash covers the address and the confirmation time, so a link dies once
    used or once the address changes; it expires after PASSWORD_RESET_TIMEOUT.
    """

    key_salt = "civiccenter.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_confirmed_at}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
