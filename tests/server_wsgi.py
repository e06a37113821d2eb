"""The project's WSGI application, each response naming the worker process that served it.

The multi-process tests need to tell gunicorn's workers apart.
"""

import os

from project.wsgi import application as project_application


def application(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Served-By", str(os.getpid()))], exc_info)

    return project_application(environ, start)
