"""Operations tooling that is not part of the web application (backups)."""
