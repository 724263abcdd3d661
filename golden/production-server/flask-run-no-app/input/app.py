from flask import Flask


def build(config):
    return Flask(__name__)
