import requests
