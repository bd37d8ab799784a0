"""Background work: batch printing. In-process by default; RQ workers on Redis when REDIS_URL is set."""
