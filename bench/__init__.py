"""Benchmarks for ``make bench``: each figure is printed beside a baseline measured
in the same run, since these machines are shared and their speed varies."""


def migrate_quietly(url: str) -> None:
    """The app's schema on an empty database, without the migrations' progress lines (once
    per database: not a figure)."""
    import logging

    from tests.support import migrate_to_head

    logging.disable(logging.INFO)
    try:
        migrate_to_head(url)
    finally:
        logging.disable(logging.NOTSET)
