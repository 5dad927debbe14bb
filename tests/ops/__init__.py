"""Operations tests: install script, systemd units, sample configs, the Debian package (see conftest.py)."""
