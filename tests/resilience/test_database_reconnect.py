"""The portal recovers by itself from a database that dropped its
connections (restart, failover): with connection health checks, the first
request after the drop is served on a new connection. The full restart in
the middle of traffic is bench/fault_db_restart.py."""

import psycopg2
import pytest
from django.conf import settings
from django.db import close_old_connections, connection

pytestmark = pytest.mark.django_db(transaction=True)


def test_connection_health_checks_are_on():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_a_request_after_the_database_dropped_the_connection_is_served(client):
    if connection.vendor != "postgresql":
        pytest.skip("the server-side drop needs PostgreSQL")
    assert client.get("/healthz").status_code == 200
    connection.ensure_connection()
    backend = connection.connection.get_backend_pid()
    other = psycopg2.connect(**connection.get_connection_params())
    other.autocommit = True
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        other.close()

    close_old_connections()  # what Django does as each request starts
    response = client.get("/healthz")
    assert response.status_code == 200
    assert connection.connection.get_backend_pid() != backend
