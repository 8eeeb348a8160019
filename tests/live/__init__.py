"""The live suite: real Terraform against the real Sevalla API (`make acceptance-live`).

Never collected by the default `pytest` run (pyproject's `--ignore=tests/live`); run it with
`make acceptance-live`, which refuses to start unless SEVALLA_LIVE=1 and SEVALLA_API_KEY are set.
"""
