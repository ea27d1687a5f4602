"""Starter rules `marsad init` writes into DIR/rules/ (package data: YAML files only)."""
