"""Bytes in: scraping the press rooms, finding and reading inputs, saved web pages."""
