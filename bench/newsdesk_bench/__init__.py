"""Newsdesk benchmark: one command (bench/run), documented in bench/README.md.

Builds the release binaries, installs the load generator (oha) if missing,
seeds a fresh database per engine, starts the service, warms it up, runs
every scenario against it and against the ceiling server (the same list
bytes served from memory), then the media scenarios in a service of their
own, prints a markdown table and writes bench/results/latest.json.

Standard library only, so that it runs from a bare clone. One job per module:

- common: paths, constants, the log line, the failures
- processes: children started and stopped, CPU and memory read from /proc
- client: plain HTTP for fixtures and probes, /metrics
- tools: the release build and the load generator's installation
- loadgen, oha, wrk: the load generators, one result row each
- database: a fresh database per engine, seeded; checks read outside the service
- service: the service under test and the ceiling server
- fixtures: what the scenarios need, read from the running service
- scenarios: one request description per scenario, and its probe
- passes: one pass per cache setting, every scenario, the ceiling
- media: the media pass (upload, rendition) in a service of its own
- targets: the issue's targets, checked against the figures
- report: the markdown tables
- results: the JSON results, the machine, the commit, the exit status
- cli: the options and main()

The package hostile beside these is the work of bench/hostile: the service
under hostile clients (APQ flood, subscription flood, alias bombs).
"""
