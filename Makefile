# The two set-up commands: `make run` and `make test`. See README.md.
BUILD ?= build
JOBS ?= 2
DATA ?= data
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps test-deps build run test unit-test web-test clean format bench bench-callgrind

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

$(BUILD)/Makefile: CMakeLists.txt
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j$(JOBS) --target roundtable

run: build
	@if [ ! -f $(DATA)/roundtable.db ]; then $(BUILD)/roundtable seed-demo --data $(DATA); fi
	$(BUILD)/roundtable serve --data $(DATA) --listen $(LISTEN)

test: test-deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j$(JOBS)
	$(MAKE) unit-test web-test

unit-test:
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# HTTP, browser, accessibility and HTML-validity suites against the real binary.
web-test:
	node --test --test-reporter=spec --test-concurrency=1 --test-timeout=300000 tests/cli/ tests/web/ tests/e2e/

format:
	clang-format -i $$(git ls-files 'src/*.h' 'src/*.cc' 'tests/*.h' 'tests/*.cc')

clean:
	rm -rf $(BUILD)

# Load test with wrk on generated data (bench/README.md) -> bench/results/latest.json.
bench: deps $(BUILD)/Makefile
	BUILD=$(BUILD) JOBS=$(JOBS) bench/run.sh

# Instructions per request under valgrind's callgrind -> bench/results/callgrind.json.
bench-callgrind: deps $(BUILD)/Makefile
	BUILD=$(BUILD) JOBS=$(JOBS) bench/callgrind.sh
