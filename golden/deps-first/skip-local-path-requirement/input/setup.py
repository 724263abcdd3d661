from setuptools import setup
setup(name="mytool")
