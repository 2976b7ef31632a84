from verdicts.digest.checks import site_url_is_https


def test_a_check_warns_when_real_mail_would_carry_http_links(settings):

    settings.EMAIL_URL = "smtp://mail.example:587"
    settings.SITE_URL = "http://verdicts.example"
    assert [warning.id for warning in site_url_is_https(None)] == ["digest.W001"]
    settings.SITE_URL = "https://verdicts.example"
    assert site_url_is_https(None) == []
