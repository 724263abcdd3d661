#!/bin/sh
exec gosu app "$@"
