from django.test import RequestFactory
from django.views.defaults import server_error


def test_the_500_page_is_the_sites_own_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html
