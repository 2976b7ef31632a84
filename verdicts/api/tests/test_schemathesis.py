"""Schemathesis over the whole OpenAPI schema: every operation answers as its schema says.

The app is called in-process through WSGI against the test database with the starter catalog;
each operation gets a bounded, derandomized run (reproducible) with every check on: no 5xx,
status codes, bodies and headers as documented, invalid input refused, valid input accepted.
Votes carry a CSRF token, so they are cast (and rolled back with the test's transaction).
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Django's CSRF check for the vote endpoints: a cookie and the same value in a header.
CSRF_TOKEN = "schemathesis0csrf0token000000000"

# Slugs the starter catalog has, so that generated requests reach more than the 404s.
KNOWN = {
    "tools": ["cursor", "smolvlm-3b", "claude-4-sonnet"],
    "comparisons": ["claude-4-sonnet-vs-smolvlm-3b"],
    "category": ["coding-assistants"],
}

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, a slug the catalog knows instead of the generated one."""
    path = context.operation.path
    if not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    if "category" in path_parameters:
        known = {"category": KNOWN["category"]}
    elif "slug" in path_parameters:
        known = {"slug": KNOWN["tools" if "/tools/" in path else "comparisons"]}
    else:
        return st.just(path_parameters)
    real = st.fixed_dictionaries({key: st.sampled_from(slugs) for key, slugs in known.items()})
    return st.one_of(st.just(path_parameters), real)


@schema.hook
def flatmap_query(context, query):
    """Half the time, tool slugs the catalog knows for the pricing endpoint."""
    if not isinstance(query, dict) or "tool" not in query:
        return st.just(query)
    tools = st.lists(st.sampled_from(KNOWN["tools"]), min_size=1, max_size=4, unique=True)
    return st.one_of(st.just(query), tools.map(lambda slugs: {**query, "tool": slugs}))


@pytest.fixture
def in_test_transaction(starter):
    """Django's WSGI handler closes the connection after each request (its test client does
    not): keep it open so that requests see, and roll back with, the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
# pytest 9.2 names an unparametrized schemathesis item after the test alone, so that every
# operation's item had one node id (and pytest-xdist ran only one): this gives each its own.
@pytest.mark.parametrize("seeded", ["derandomized"])
@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, seeded, in_test_transaction):
    # identity: the WSGI client does not decode gzip, which the site sends when asked.
    case.call_and_validate(
        headers={"X-CSRFToken": CSRF_TOKEN, "Accept-Encoding": "identity"},
        cookies={"csrftoken": CSRF_TOKEN},
    )
