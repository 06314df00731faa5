# Labyrinth - the one Makefile.
#
# The targets, as `make help` prints them: this comment is the help text, so
# a new target adds its line here, in its group (test_make_help checks that
# every target listed exists and every target of the Makefile is listed).
#
# Build:
#   make                  build/kernel.elf, with debug symbols (make all)
#   make iso              build/labyrinth.iso, booted by GRUB
#   make compdb           compile_commands.json for clangd and editors
#   make clean            remove build/
#   make deps             install what is missing, as root (doctor --fix)
# Run:
#   make run              boot in QEMU, serial console in this terminal
#   make run-vga          the same with the VGA screen in a window (gtk)
#   make run-iso          boot build/labyrinth.iso with GRUB
#                         (the shell's halt, or Ctrl-A X, ends QEMU)
# Debug:
#   make debug            QEMU stopped at the first instruction, for gdb
#   make gdb              gdb attached to it (in a second terminal)
#   make sendkey KEYS=..  type on its PS/2 keyboard: IRQ1 (tools/sendkey)
# Watching it work (docs/TRACING.md):
#   make trace CMD="stress 1"  trace a shell command, draw build/trace/*.png
#   make lab6-runs        lab 6's six traced runs into labs/lab6/runs/
#                         (RUN=8-1000: that one alone)
# Test:
#   make test             every test; make test T=word: those named so
#   make test-labs        the proof that each lab's grader works (minutes)
#   make host-tests       build the host unit tests of mm/ (build/host/)
#   make host-test-run    build and run them
#   make test-kernel      build/kernel-test.elf, the in-kernel KTAP tests
#   make fuzz-smoke       a short libFuzzer run of the allocator
#   make bench            allocator benchmark, then bench-irq (not in test)
#   make bench-irq        the 5.2 us budget: the tick at 1, 48, 192 kHz
#   make doctor           check the tools, say how to get what is missing
#   make help             this list
# Coursework (docs/labs/README.md):
#   make grade LAB=n      lab n's grader: each test, its points, the score
#   make handout LAB=n OUT=dir   the student tree of lab n
#   make gradescope LAB=n the Gradescope autograder zip of lab n
# Coming from xv6:
#   make qemu             = make run-vga (a window, as xv6's)
#   make qemu-nox         = make run
#   make qemu-gdb         = make debug, then make gdb (not plain gdb)
#   make qemu-nox-gdb     = make debug
# Variables:
#   MEM=16 APPEND="hz=100 loglevel=4"  RAM in MiB and kernel command line
#   ICOUNT=1              run and debug under -icount shift=0,sleep=off:
#                         exact virtual time (needed above hz=10000)
#   VGA=sdl|curses|vnc    run-vga's display (curses: in this terminal)
#   V=1                   show every command; TOOLPREFIX=i686-elf- the
#                         cross compiler (default: the first one found)
#
# Non-recursive: each folder adds its objects in a small Makefile.inc
# (obj-y for the kernel, ktest-obj-y for the test kernel only), like kbuild
# without the recursion. Everything is built in build/, mirroring the tree.

.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD := build

# make V=1 shows every command; by default one short line per step.
ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-8s %s\n' $(1) $(2);
endif

# Toolchain: Debian's i686-linux-gnu- or an i686-elf- cross compiler,
# whichever is found first; override with make TOOLPREFIX=...
TOOLPREFIX ?= $(shell for p in i686-linux-gnu- i686-elf-; do \
	command -v $${p}gcc >/dev/null 2>&1 && { echo $$p; break; }; done)
CC := $(TOOLPREFIX)gcc
LD := $(TOOLPREFIX)ld
NM := $(TOOLPREFIX)nm
OBJCOPY := $(TOOLPREFIX)objcopy
NASM ?= nasm
QEMU ?= qemu-system-i386
GDB ?= gdb
PYTHON ?= python3

# -Og keeps variables visible in gdb; frame pointers make backtraces work.
CFLAGS := -m32 -march=i686 -std=gnu11 -ffreestanding -fno-pie -fno-pic \
	-fno-stack-protector -mno-sse -mno-sse2 -mno-mmx -mno-red-zone \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -Og -ggdb \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -Iarch/x86/include -I.
NASMFLAGS := -f elf32 -g -F dwarf -I.
LDFLAGS := -m elf_i386 -T boot/linker.ld -nostdlib --build-id=none \
	-z noexecstack
LIBGCC = $(shell $(CC) -m32 -print-libgcc-file-name 2>/dev/null)

obj-y :=
ktest-obj-y :=

include $(wildcard boot/Makefile.inc arch/x86/Makefile.inc kernel/Makefile.inc \
	mm/Makefile.inc drivers/Makefile.inc lib/Makefile.inc \
	tests/Makefile.inc tests/*/Makefile.inc tools/Makefile.inc)

OBJS := $(addprefix $(BUILD)/,$(obj-y))
KTEST_OBJS := $(addprefix $(BUILD)/,$(ktest-obj-y))
DEPS := $(OBJS:.o=.d) $(KTEST_OBJS:.o=.d)

.PHONY: all kernel test-kernel
all: $(BUILD)/kernel.elf
kernel: $(BUILD)/kernel.elf
test-kernel: $(BUILD)/kernel-test.elf

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.asm
	@mkdir -p $(dir $@)
	$(call say,NASM,$<)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) $< -o $@

# Two links: the first gives the function addresses, gen-kallsyms turns them
# into the symbol table that backtraces use, and the second links it in.
# The table lives after .data, so the second link moves no code.
define link_kernel
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(PYTHON) tools/gen-kallsyms > $@.ks0.c
	$(Q)$(CC) $(CFLAGS) -c $@.ks0.c -o $@.ks0.o
	$(Q)$(LD) $(LDFLAGS) -o $@.pass1 $(1) $@.ks0.o $(LIBGCC)
	$(Q)$(NM) -n $@.pass1 > $@.nm
	$(Q)$(PYTHON) tools/gen-kallsyms $@.nm > $@.ks.c
	$(Q)$(CC) $(CFLAGS) -c $@.ks.c -o $@.ks.o
	$(Q)$(LD) $(LDFLAGS) -o $@ $(1) $@.ks.o $(LIBGCC)
	@cmp -s <($(NM) -n $@.pass1 | grep -i ' t ') \
		<($(NM) -n $@ | grep -i ' t ') || \
		{ echo "kallsyms: code moved between links" >&2; rm -f $@; exit 1; }
endef

$(BUILD)/kernel.elf: $(OBJS) boot/linker.ld tools/gen-kallsyms
	$(call link_kernel,$(OBJS))

$(BUILD)/kernel-test.elf: $(OBJS) $(KTEST_OBJS) boot/linker.ld tools/gen-kallsyms
	$(call link_kernel,$(OBJS) $(KTEST_OBJS))

-include $(DEPS)

# ---------------------------------------------------------------- ISO
# make iso APPEND="...": the command line goes into the ISO's grub.cfg
# (GRUB cannot read make's variables when it boots), so the ISO depends on
# the value of APPEND, kept in $(ISO).cmdline: rewritten only when APPEND
# differs from it, so that an unchanged APPEND rebuilds nothing (and make
# -q iso tells). ISO=path builds elsewhere (the tests do, beside the
# build/labyrinth.iso others boot).
ISO ?= $(BUILD)/labyrinth.iso
ISO_DIR = $(ISO:.iso=)-isodir
ISO_CMDLINE := $(shell cat $(ISO).cmdline 2>/dev/null)
.PHONY: iso FORCE
iso: $(ISO)
$(ISO): $(BUILD)/kernel.elf iso/grub.cfg tools/grub-cfg $(ISO).cmdline
	$(call say,ISO,$@)
	$(Q)rm -rf $(ISO_DIR)
	$(Q)mkdir -p $(ISO_DIR)/boot/grub
	$(Q)cp $(BUILD)/kernel.elf $(ISO_DIR)/boot/kernel.elf
	$(Q)$(PYTHON) tools/grub-cfg iso/grub.cfg $@.cmdline \
		> $(ISO_DIR)/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(ISO_DIR) 2>$@.log || { cat $@.log; exit 1; }

ifneq ($(strip $(APPEND)),$(ISO_CMDLINE))
$(ISO).cmdline: FORCE
endif
$(ISO).cmdline:
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(subst ','\'',$(strip $(APPEND)))' > $@

# ---------------------------------------------------------------- QEMU
MEM ?= 128
APPEND ?=
QEMU_FLAGS := -m $(MEM) -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
# make run ICOUNT=1: one guest instruction is one nanosecond of virtual time
# and the TSC counts them, so time is exact and the same on every machine;
# a halted CPU skips to the next timer deadline. Needed for hz= above what
# QEMU delivers in real time (10 kHz): the kernel says so at boot.
ifeq ($(ICOUNT),1)
QEMU_FLAGS += -icount shift=0,sleep=off
endif
QEMU_APPEND = $(if $(APPEND),-append '$(subst ','\'',$(APPEND))')
# tools/doctor: the tools we build and run with, so it checks those.
DOCTOR = TOOLPREFIX='$(TOOLPREFIX)' CFLAGS='$(CFLAGS)' QEMU='$(QEMU)' \
	VGA='$(VGA)' tools/doctor

# make run-vga: the VGA screen in a window (gtk, or VGA=sdl), or in this
# terminal (VGA=curses: Esc 1 the screen, Esc 2 QEMU's monitor, Esc 3 the
# serial line), or through VNC (VGA=vnc: 127.0.0.1:5900, from another
# machine with ssh -L 5900:127.0.0.1:5900). QEMU must be told: left to
# itself, without its GUI package, it serves VNC without a word.
VGA ?= gtk
VGA_FLAGS_curses := -display curses
VGA_FLAGS_vnc := -display vnc=127.0.0.1:0 -serial mon:stdio
VGA_FLAGS = $(or $(VGA_FLAGS_$(VGA)),-display $(VGA) -serial mon:stdio)

# make debug: QEMU stopped at the first instruction, its gdbstub on a free
# port. It leaves in DEBUG_DIR what make gdb and tools/sendkey need: the
# port (gdb-port, removed when QEMU exits), QEMU's pid (qemu.pid: QEMU
# removes it on exit, but not when killed) and its QMP socket (qmp.sock);
# tools/debug-session reads them.
DEBUG_DIR ?= $(BUILD)

.PHONY: run run-vga run-iso debug gdb sendkey doctor deps deps-vga
.PHONY: qemu qemu-nox qemu-gdb qemu-nox-gdb
deps:
	@$(DOCTOR) --fix
# run-vga needs more: QEMU's GUI and a display (doctor says what to do).
deps-vga:
	@$(DOCTOR) --fix --need vga

run: deps $(BUILD)/kernel.elf
	@echo "Labyrinth in QEMU: serial console here. Quit with halt or Ctrl-A X."
	$(QEMU) $(QEMU_FLAGS) -display none -serial mon:stdio \
		-kernel $(BUILD)/kernel.elf $(QEMU_APPEND)

run-vga: deps-vga $(BUILD)/kernel.elf
	$(if $(filter vnc,$(VGA)),@echo "VGA screen on VNC 127.0.0.1:5900.")
	$(QEMU) $(QEMU_FLAGS) $(VGA_FLAGS) -kernel $(BUILD)/kernel.elf \
		$(QEMU_APPEND)

run-iso: deps $(ISO)
	@echo "Labyrinth from $(ISO) by GRUB. Quit with halt or Ctrl-A X."
	$(QEMU) $(QEMU_FLAGS) -display none -serial mon:stdio -cdrom $(ISO)

debug: deps $(BUILD)/kernel.elf
	@port=$$(tools/debug-session start $(DEBUG_DIR)) || exit 1; \
	echo "QEMU waits for gdb on port $$port: run 'make gdb' in another terminal."; \
	echo "Keyboard (IRQ1): make sendkey KEYS=text, or Ctrl-A C and 'sendkey a'."; \
	$(QEMU) $(QEMU_FLAGS) -display none -serial mon:stdio -S \
		-gdb tcp:127.0.0.1:$$port -pidfile $(DEBUG_DIR)/qemu.pid \
		-qmp unix:$(DEBUG_DIR)/qmp.sock,server=on,wait=off \
		-kernel $(BUILD)/kernel.elf $(QEMU_APPEND); \
	status=$$?; rm -f $(DEBUG_DIR)/gdb-port; exit $$status

# Not rebuilt first: gdb must read the kernel that QEMU is running.
gdb:
	@port=$$(tools/debug-session port $(DEBUG_DIR)) || exit 1; \
	$(GDB) -q -iex "add-auto-load-safe-path $(CURDIR)/.gdbinit" \
		-x $(CURDIR)/.gdbinit -ex "target remote 127.0.0.1:$$port" \
		$(BUILD)/kernel.elf

sendkey:
	@test -n '$(subst ','\'',$(KEYS))' || \
		{ echo "make sendkey KEYS=\"text\": the keys to type" >&2; exit 2; }
	@tools/sendkey --qmp $(DEBUG_DIR)/qmp.sock -- '$(subst ','\'',$(KEYS))'

# For students who come from xv6's Makefile.
qemu: run-vga
qemu-nox: run
qemu-gdb qemu-nox-gdb: debug

doctor:
	@$(DOCTOR)

# make trace CMD="stress 5": boot, trace CMD, capture the dump over the
# serial line and draw it (tools/trace-run, tools/trace-report). MEM and
# APPEND as for make run; TRACE_FLAGS=--no-icount for plain TCG time.
CMD ?= stress 1
TRACE_FLAGS ?=
.PHONY: trace
trace: deps $(BUILD)/kernel.elf
	@$(DOCTOR) --fix --need trace
	@$(PYTHON) tools/trace-run --mem $(MEM) --append '$(subst ','\'',$(APPEND))' \
		$(TRACE_FLAGS) -- '$(subst ','\'',$(CMD))'

# make lab6-runs: lab 6's six traced runs (labs/lab6/make-runs), each
# into labs/lab6/runs/MEM-HZ/; RUN=8-1000 (or several, spaced) redoes
# those alone.
RUN ?=
.PHONY: lab6-runs
lab6-runs: deps $(BUILD)/kernel.elf
	@$(DOCTOR) --fix --need trace
	@$(PYTHON) labs/lab6/make-runs $(RUN)

# ---------------------------------------------------------------- tests
# make test T=memsize: only the tests whose name contains memsize.
.PHONY: test test-labs
test: deps
	@$(DOCTOR) --fix --need test
	@$(PYTHON) tools/run-tests $(T)

# The lab graders' proof (tests/integration/test_labs.py): minutes of
# grading handouts, correct hand-ins and planted bugs. CI runs it too.
test-labs: deps
	@$(DOCTOR) --fix --need test
	@$(PYTHON) tools/run-tests --lab-proofs test_labs

# ---------------------------------------------------------------- labs
# The coursework (docs/labs/README.md). In a handout, .lab holds its lab.
LAB ?= $(shell cat .lab 2>/dev/null)
.PHONY: grade handout gradescope
grade: deps
	@$(DOCTOR) --fix --need test
	@$(PYTHON) tools/grade $(LAB)

handout:
	@test -n "$(LAB)" -a -n "$(OUT)" || \
		{ echo "usage: make handout LAB=n OUT=dir"; exit 2; }
	@$(PYTHON) tools/handout $(LAB) $(OUT)

gradescope:
	@test -n "$(LAB)" || { echo "usage: make gradescope LAB=n"; exit 2; }
	@$(PYTHON) tools/gradescope $(LAB)

# ---------------------------------------------------------------- misc
# make help prints the lists of the header comment, from "# Build:" to its
# first empty comment line.
HELP_FROM := $(firstword $(MAKEFILE_LIST))
.PHONY: help compdb clean
help:
	@sed -n '/^# Build:$$/,/^#$$/{/^#$$/d;s/^# \{0,1\}//;p;}' $(HELP_FROM)

compdb:
	$(MAKE) clean
	bear --output compile_commands.json -- $(MAKE) all test-kernel
	@echo "wrote compile_commands.json"

clean:
	rm -rf $(BUILD)
