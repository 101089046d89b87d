from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Developer tools, no models: the benchmarks (bench_*), the load test
    (loadtest) and the demo data (load_demo, generators in tools/demo/).
    Sits on top of every other app; no app imports it."""

    name = "tools"
    label = "tools"
    verbose_name = "Developer tools"
