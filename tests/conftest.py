"""Shared pytest configuration."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "quality: end-to-end quality bars of the cleaner (slow; deselect with -m 'not quality')")
