DEBUG = False
INSTALLED_APPS = ["django.contrib.staticfiles"]
WSGI_APPLICATION = "mysite.wsgi.application"
STATIC_URL = "static/"
