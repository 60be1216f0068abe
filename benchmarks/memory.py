"""The memory of a running `aspa serve`: each of its processes' PSS and the total.

    .venv/bin/python benchmarks/memory.py <pid of aspa serve>
    .venv/bin/python benchmarks/memory.py --port 8790      # the `aspa serve` listening there
    .venv/bin/python benchmarks/memory.py --port 8790 --load 200 --token "$TOKEN"   # after a short load

`--load N` first sends N rounds of typical requests to 127.0.0.1 from 4 threads (the health check,
the portal's front page, the API's request list and a party search, and two filings: one for a
service and one left to the classifier), so that every gunicorn worker has served each kind.

PSS (proportional set size, from /proc/<pid>/smaps_rollup) shares each page between the processes
that map it, so the figures add up: pages a gunicorn worker shares with the master it was forked
from count half to each. Linux only; reads /proc of processes of the same user.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

CLIENTS = 4


def pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    raise RuntimeError(f"no Pss line for process {pid}")


def command_line(pid: int) -> str:
    words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return " ".join(word.decode(errors="replace") for word in words if word)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def tree(pid: int) -> list[tuple[int, int]]:
    """(pid, depth) of the process and its descendants, parents first."""
    result, stack = [], [(pid, 0)]
    while stack:
        current, depth = stack.pop()
        result.append((current, depth))
        stack.extend((child, depth + 1) for child in sorted(children(current), reverse=True))
    return result


def role(command: str, parent_command: str) -> str:
    if "aspa.management.supervisor" in command:
        return "aspa serve"  # after the static files, `aspa serve` replaces itself with the supervisor
    if "gunicorn" in command:
        forked_by_master = "-m gunicorn" in parent_command and "aspa.management.supervisor" not in parent_command
        return "gunicorn worker" if forked_by_master else "gunicorn master"
    if command.endswith(" worker"):
        return "task worker"
    if " serve" in command:
        return "aspa serve"
    return "other"


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def listening_serve(port: int) -> int:
    """The `aspa serve` whose gunicorn listens on the port (its master's parent)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                inodes.add(fields[9])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            links = {os.readlink(fd) for fd in (entry / "fd").iterdir()}
            cmdline = command_line(int(entry.name))
        except OSError:
            continue
        if any(f"socket:[{inode}]" in links for inode in inodes) and "-m gunicorn" in cmdline:
            # A worker holds the listening socket too: go up to the master, then to `aspa serve`.
            pid = int(entry.name)
            while True:
                parent = parent_of(pid)
                parent_command = command_line(parent)
                if "-m gunicorn" in parent_command and "aspa.management.supervisor" not in parent_command:
                    pid = parent
                    continue
                if "aspa.management.supervisor" in parent_command or " serve" in parent_command:
                    return parent
                return pid
    raise SystemExit(f"nothing of `aspa serve` listens on port {port}")


def send_load(port: int, token: str, rounds: int) -> None:
    """`rounds` rounds of typical requests from CLIENTS threads; prints the rate and the statuses."""
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "fi", "Content-Type": "application/json"}
    filing = {"type": "notification", "channel": "phone", "language": "fi",
              "description": "Katuvalo ei toimi kotikadullani, pyydän korjaamaan."}
    calls = [("GET", "/healthz", None), ("GET", "/portal/", None), ("GET", "/api/v1/requests?page=1", None),
             ("GET", "/api/v1/parties?name=mei", None),
             ("POST", "/api/v1/requests", {**filing, "service": "katujen-kunnossapito"}),
             ("POST", "/api/v1/requests", filing)]
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def client(count: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _round in range(count):
            for method, path, body in calls:
                try:
                    connection.request(method, path, body=json.dumps(body) if body else None, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                    if response.getheader("Connection", "").lower() == "close":
                        connection.close()
                except (http.client.HTTPException, OSError):
                    connection.close()
                    status = 0
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(rounds // CLIENTS + (index < rounds % CLIENTS),))
               for index in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(statuses.values())
    print(f"load: {total} requests in {elapsed:.1f} s ({total / elapsed:.1f}/s), statuses {dict(sorted(statuses.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pid", type=int, nargs="?", help="the `aspa serve` process")
    parser.add_argument("--port", type=int, help="find the `aspa serve` listening on this port")
    parser.add_argument("--load", type=int, default=0, metavar="N", help="first send N rounds of requests (needs --port)")
    parser.add_argument("--token", default=os.environ.get("ASPA_TOKEN", ""), help="an API token for --load")
    arguments = parser.parse_args()
    if arguments.pid is None and arguments.port is None:
        parser.error("give the pid of `aspa serve` or --port")
    root = arguments.pid if arguments.pid is not None else listening_serve(arguments.port)
    if arguments.load:
        if arguments.port is None or not arguments.token:
            parser.error("--load needs --port and --token")
        send_load(arguments.port, arguments.token, arguments.load)

    load_average = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}  {platform.node()}  "
          f"{os.cpu_count()} CPUs  load average {load_average}")
    total = 0
    for pid, _depth in tree(root):
        try:
            kib, command = pss_kib(pid), command_line(pid)
            parent_command = command_line(parent_of(pid))
        except OSError:
            continue  # it ended while we looked
        total += kib
        print(f"{pid:>8}  {role(command, parent_command):<16} {kib / 1024:8.1f} MiB  {command[:80]}")
    print(f"{'':>8}  {'total':<16} {total / 1024:8.1f} MiB")


if __name__ == "__main__":
    sys.exit(main())
