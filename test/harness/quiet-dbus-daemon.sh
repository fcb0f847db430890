#!/bin/sh
# The session bus of with-keyring.sh (its --dbus-daemon): dbus-daemon with its log sent to syslog,
# not to the test run's output, where it said on every run that root may not raise its open-file
# limit here, and named each service it started. dbus-run-session passes the arguments.
exec dbus-daemon --syslog-only "$@"
