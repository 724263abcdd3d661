#!/bin/sh
exec gosu app python app.py
