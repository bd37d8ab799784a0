"""WSGI entry point: `flask --app wsgi …` and `gunicorn wsgi:app`.

Without RESCUE_CONFIG, a WSGI server (gunicorn, uWSGI) gets the production settings, which refuse to start
without a strong SECRET_KEY and the encryption keys; the `flask` command line (`make run`, migrations, the
demo data) gets the development settings."""
import os
import sys

from rescue import create_app


def _flask_command_line() -> bool:
    program = os.path.basename(sys.argv[0]) if sys.argv else ""
    return program == "flask" or (program == "__main__.py" and "flask" in sys.argv[0])


app = create_app("development" if _flask_command_line() and not os.environ.get("RESCUE_CONFIG") else None)
