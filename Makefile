# Labyrinth - the one Makefile.
#
# Non-recursive: each folder adds its objects in a small Makefile.inc
# (obj-y for the kernel, ktest-obj-y for the test kernel only), like kbuild
# without the recursion. Everything is built in build/, mirroring the tree.
#
#   make            build/kernel.elf (debug symbols)
#   make run        boot it in QEMU, serial console in this terminal
#   make run-vga    the same with the VGA screen in a window
#   make debug      QEMU waiting for gdb;  make gdb  attaches to it
#   make iso        build/labyrinth.iso (GRUB)
#   make test       every test: host, in-kernel, integration
#   make doctor     check the tools and say how to get what is missing
#   make compdb     compile_commands.json for clangd and editors
#   make bench      allocator benchmark (host build; not part of test)
#   make grade LAB=n          a lab's grader: every test with its points
#   make handout LAB=n OUT=d  the student tree of lab n
#   make gradescope LAB=n     the Gradescope autograder zip of lab n

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
ISO_DIR := $(BUILD)/isodir
.PHONY: iso
iso: $(BUILD)/labyrinth.iso
$(BUILD)/labyrinth.iso: $(BUILD)/kernel.elf iso/grub.cfg
	$(call say,ISO,$@)
	$(Q)rm -rf $(ISO_DIR)
	$(Q)mkdir -p $(ISO_DIR)/boot/grub
	$(Q)cp $(BUILD)/kernel.elf $(ISO_DIR)/boot/kernel.elf
	$(Q)cp iso/grub.cfg $(ISO_DIR)/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(ISO_DIR) 2>$(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# ---------------------------------------------------------------- QEMU
MEM ?= 128
APPEND ?=
QEMU_FLAGS := -m $(MEM) -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
QEMU_APPEND = $(if $(APPEND),-append "$(APPEND)")

.PHONY: run run-vga run-iso debug gdb doctor deps
# tools/doctor: TOOLPREFIX and CFLAGS passed so it checks what we build with.
DOCTOR = TOOLPREFIX='$(TOOLPREFIX)' CFLAGS='$(CFLAGS)' tools/doctor
deps:
	@$(DOCTOR) --fix

run: deps $(BUILD)/kernel.elf
	@echo "Labyrinth in QEMU: serial console here. Quit with Ctrl-A X."
	$(QEMU) $(QEMU_FLAGS) -display none -serial mon:stdio \
		-kernel $(BUILD)/kernel.elf $(QEMU_APPEND)

run-vga: deps $(BUILD)/kernel.elf
	$(QEMU) $(QEMU_FLAGS) -serial mon:stdio -kernel $(BUILD)/kernel.elf \
		$(QEMU_APPEND)

run-iso: deps $(BUILD)/labyrinth.iso
	$(QEMU) $(QEMU_FLAGS) -display none -serial mon:stdio \
		-cdrom $(BUILD)/labyrinth.iso

# make debug: QEMU stopped at the first instruction, gdbstub on a free port
# written to build/gdb-port, so that make gdb (in a second terminal) finds it.
debug: deps $(BUILD)/kernel.elf
	@port=$$(tools/free-port) && echo $$port > $(BUILD)/gdb-port && \
	echo "QEMU waits for gdb on port $$port: run 'make gdb' in another terminal." && \
	$(QEMU) $(QEMU_FLAGS) -display none -serial mon:stdio -S \
		-gdb tcp:127.0.0.1:$$port -kernel $(BUILD)/kernel.elf $(QEMU_APPEND)

gdb: $(BUILD)/kernel.elf
	@test -f $(BUILD)/gdb-port || { echo "run 'make debug' first"; exit 1; }
	$(GDB) -q -iex "add-auto-load-safe-path $(CURDIR)/.gdbinit" \
		-x $(CURDIR)/.gdbinit \
		-ex "target remote 127.0.0.1:$$(cat $(BUILD)/gdb-port)" \
		$(BUILD)/kernel.elf

doctor:
	@$(DOCTOR)

# ---------------------------------------------------------------- tests
# make test T=memsize: only the tests whose name contains memsize.
.PHONY: test
test: deps
	@$(DOCTOR) --fix --need test
	@$(PYTHON) tools/run-tests $(T)

# ---------------------------------------------------------------- labs
# The coursework (docs/labs/README.md). In a handout, .lab holds its lab.
LAB ?= $(shell cat .lab 2>/dev/null)
.PHONY: grade handout gradescope
grade: deps
	@$(PYTHON) tools/grade $(LAB)

handout:
	@test -n "$(LAB)" -a -n "$(OUT)" || \
		{ echo "usage: make handout LAB=n OUT=dir"; exit 2; }
	@$(PYTHON) tools/handout $(LAB) $(OUT)

gradescope:
	@test -n "$(LAB)" || { echo "usage: make gradescope LAB=n"; exit 2; }
	@$(PYTHON) tools/gradescope $(LAB)

# ---------------------------------------------------------------- misc
.PHONY: compdb clean
compdb:
	$(MAKE) clean
	bear --output compile_commands.json -- $(MAKE) all test-kernel
	@echo "wrote compile_commands.json"

clean:
	rm -rf $(BUILD)
