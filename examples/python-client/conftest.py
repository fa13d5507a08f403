# The aurion-mock pytest plugin: installed (`pip install <aurion-mock>/python`) or vendored and on
# the path. Installed with pip, it loads by itself and this line is not needed.
pytest_plugins = ["aurion_mock_pytest"]
