# newsclean: the two set-up commands are `make clean-data` and `make test`.
CARGO ?= cargo
SHARED ?= ../shared
# Honour CARGO_TARGET_DIR, so a shared or custom build folder works too.
BIN := $(or $(CARGO_TARGET_DIR),target)/release/newsclean

.PHONY: all build clean-data test eval bench check-spreadsheet check-ml check-report

all: clean-data

build:
	$(CARGO) build --release

## Clean the sample input/ into output/.
clean-data: build
	$(BIN) --input input --output output

## Formatting, lints and the test suite (what CI runs).
test:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) test --all-targets

## Quality on the seeds and the dev sets in ../shared (prints each scorer's last line).
eval: clean-data
	SHARED=$(SHARED) BIN=$(BIN) scripts/eval.sh

## Throughput and memory on generated corpora (builds, generates bench/corpus/ if missing).
## BENCH_SIZES="100 1000" for the 1 GB check; bench/peers/run.sh for the Python tools side by side.
bench:
	CARGO=$(CARGO) bench/run.sh

## Real-tool checks (each installs what it needs: Debian packages, or a venv from PyPI).
## Opens output/articles.csv in LibreOffice Calc (headless) and checks every cell reads back as written.
check-spreadsheet: clean-data
	BIN=$(BIN) scripts/check_spreadsheet.sh

## Loads output/articles.jsonl with pandas and Hugging Face datasets; validates schema/article.schema.json.
check-ml: clean-data
	scripts/check_ml.sh

## Renders output/report.html in headless Chromium to docs/report.png; fails on script errors or a blank page.
REPORT ?= output/report.html
check-report: clean-data
	scripts/check_report.sh $(REPORT) docs/report.png
