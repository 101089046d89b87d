"""Developer tools: benchmarks, the load test and the demo data. See apps.py."""
