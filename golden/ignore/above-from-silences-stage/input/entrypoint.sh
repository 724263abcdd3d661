#!/bin/sh
exec gosu node node server.js
