"""The starter configuration `marsad init` writes (package data: YAML files only)."""
