"""The operator console: HTTP API, web page and API tokens (`marsad api`, `marsad tokens`)."""
