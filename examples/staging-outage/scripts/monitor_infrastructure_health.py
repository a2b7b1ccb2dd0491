"""Polls the staging health endpoint and prints one line per check (part of the bundled example)."""
import sys
import time
import urllib.request

URL = "https://staging.orbit.example/health"


def main() -> int:
    for _ in range(10):
        try:
            with urllib.request.urlopen(URL, timeout=5) as resp:
                print(f"{time.strftime('%H:%M:%S')} {resp.status}")
        except Exception as exc:  # the example reports every failure the same way
            print(f"{time.strftime('%H:%M:%S')} error: {exc}")
        time.sleep(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
