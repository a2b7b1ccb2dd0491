"""Health endpoint of orbit-api (part of the bundled example)."""


def health(state) -> tuple[int, dict]:
    ready = state.database_ready and state.cache_ready
    return (200 if ready else 503), {"database": state.database_ready, "cache": state.cache_ready}
