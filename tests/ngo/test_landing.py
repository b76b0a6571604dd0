"""The /ngo/ landing page: the four sections the navigation links to, real links, what is featured and new."""

import pytest
from django.urls import reverse

from ngo.models.development import Achievement, NewsItem
from ngo.views.landing import LINKED, links
from tests.conftest import make_user
from tests.ngo.test_development import make_activity, make_moderator, make_organization


@pytest.mark.django_db
def test_landing_page_keeps_the_four_anchors_and_links_only_to_pages_that_exist(client):
    response = client.get(reverse("ngo:index"))
    assert response.status_code == 200
    content = response.content.decode()
    for anchor in ("services", "development", "mutual-aid", "showcase"):
        assert f'id="{anchor}"' in content
    found = links()
    # The development part's own pages are always there; the others appear as their parts exist.
    for name in ("activities", "achievements", "news"):
        assert found[name] in content
    for url in found.values():
        assert client.get(url).status_code in (200, 302), url
    assert set(found) <= {name.replace("-", "_") for name in LINKED}


@pytest.mark.django_db
def test_landing_page_shows_featured_organizations_and_achievements_coming_activities_and_news(client):
    admin = make_user("admin@ngo.example.cn")
    featured = make_organization(admin, name="阳光助老服务中心", featured=True)
    make_organization(make_user("b@ngo.example.cn"), name="未推荐的组织")
    make_organization(make_user("c@ngo.example.cn"), name="待认证的推荐组织", verified=False, featured=True)
    activity = make_activity(featured, admin, title="重阳敬老活动")
    make_activity(featured, admin, publish=False, title="待审核活动")
    shown = Achievement(organization=featured, title="助老服务三千人次", story="…")
    shown.submit(by=admin)
    shown.approve(by=make_moderator())
    shown.set_featured(True, by=make_moderator())
    Achievement(organization=featured, title="未推荐成果", story="…").submit(by=admin)
    NewsItem.objects.create(title="社会组织交流会举行", body="…")
    content = client.get(reverse("ngo:index")).content.decode()
    assert "阳光助老服务中心" in content and featured.get_absolute_url() in content
    assert "未推荐的组织" not in content and "待认证的推荐组织" not in content
    assert "助老服务三千人次" in content and "未推荐成果" not in content
    assert activity.get_absolute_url() in content and "待审核活动" not in content
    assert "社会组织交流会举行" in content


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 20])
def test_landing_page_keeps_a_fixed_number_of_queries(client, count, django_assert_num_queries):
    admin = make_user("admin@ngo.example.cn")
    moderator = make_moderator()
    for i in range(count):
        organization = make_organization(admin, name=f"社会组织{i}", featured=True)
        make_activity(organization, admin, title=f"活动{i}")
        achievement = Achievement(organization=organization, title=f"成果{i}", story="…")
        achievement.submit(by=admin)
        achievement.approve(by=moderator)
        achievement.set_featured(True, by=moderator)
        NewsItem.objects.create(title=f"消息{i}", body="…")
    # Featured organizations, featured achievements and their photos, activities and their photos, news.
    with django_assert_num_queries(6):
        assert client.get(reverse("ngo:index")).status_code == 200
