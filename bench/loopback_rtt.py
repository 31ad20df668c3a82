#!/usr/bin/env python3
"""Loopback TCP round trip between two idle processes (TCP_NODELAY, 1 byte,
1 ms apart): the floor under the WebSocket latency figures on this machine.
Usage: bench/loopback_rtt.py [ROUNDS]"""
import os
import socket
import sys
import time

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
pid = os.fork()
if pid == 0:
    conn, _ = srv.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        data = conn.recv(100)
        if not data:
            break
        conn.sendall(data)
    os._exit(0)
s = socket.create_connection(srv.getsockname())
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
lat = []
for _ in range(rounds):
    t = time.perf_counter_ns()
    s.sendall(b"x")
    s.recv(10)
    lat.append(time.perf_counter_ns() - t)
    time.sleep(0.001)
s.close()
os.waitpid(pid, 0)
lat.sort()
print("loopback round trip: p50 %.0f us, p99 %.0f us (%d rounds)"
      % (lat[len(lat) // 2] / 1e3, lat[int(len(lat) * 0.99)] / 1e3, rounds))
