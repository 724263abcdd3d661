#!/bin/sh
chown -R app /data
exec setpriv --reuid=app --regid=app --init-groups "$@"
