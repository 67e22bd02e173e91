#!/usr/bin/env python3
"""Start rpcbind on loopback only, through systemd-style socket activation.

usage: rpcbind-launch.py <rpcbind binary>

rpcbind cannot be limited to loopback by its options (-h only affects UDP, and crashes in
Debian's build), but it takes listening sockets from systemd. This launcher binds
127.0.0.1:111 (udp, tcp) and [::1]:111 (udp6, tcp6 with IPV6_V6ONLY) itself, places them on
fds 3..6, sets LISTEN_FDS=4 and LISTEN_PID=<its own pid>, and execs `rpcbind -f -s` in the
same process, so LISTEN_PID stays valid and the caller's PID is rpcbind's. All four sockets
must be passed: rpcbind binds the wildcard address for any that is missing.
"""
import fcntl
import os
import socket
import sys

PORT = 111
RPCBIND = sys.argv[1]


def listening(family, kind, address):
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((address, PORT))
    if kind == socket.SOCK_STREAM:
        s.listen(128)
    return s


sockets = [
    listening(socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1"),
    listening(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1"),
    listening(socket.AF_INET6, socket.SOCK_DGRAM, "::1"),
    listening(socket.AF_INET6, socket.SOCK_STREAM, "::1"),
]

# Move the sockets to fds 3..6: park them at fds >= 100 first so that no dup2 overwrites a
# socket not yet moved, then dup2 them into place (dup2 makes them inheritable).
parked = [fcntl.fcntl(s.fileno(), fcntl.F_DUPFD, 100) for s in sockets]
for s in sockets:
    s.close()
for target, fd in zip(range(3, 7), parked):
    os.dup2(fd, target, inheritable=True)
    os.close(fd)

# No other inherited descriptor (a caller's pipes, say) reaches the daemon.
os.closerange(7, os.sysconf("SC_OPEN_MAX"))

env = dict(os.environ)
env["LISTEN_FDS"] = "4"
env["LISTEN_PID"] = str(os.getpid())
env.pop("LISTEN_FDNAMES", None)
os.execve(RPCBIND, [RPCBIND, "-f", "-s"], env)
