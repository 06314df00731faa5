/*
 * keymap.c - scancode set 1 (US layout) to characters.
 *
 * A key sends its make code when pressed and make | 0x80 (its break code)
 * when released; holding it repeats the make code. Keys added after the
 * original PC keyboard (right Ctrl, the arrows, keypad Enter and /) send an
 * 0xE0 prefix first; Pause sends a six-byte sequence starting with 0xE1.
 * SeaBIOS leaves the 8042 translating, so set 1 is what arrives even though
 * the keyboard itself speaks set 2.
 *
 * The file has two parts: the characters (the tables, Shift, Ctrl and Caps
 * Lock), and, apart, the extended keys that make none (the arrows, Page
 * Up/Down: KBD_KEY_* codes the console thread acts on).
 *
 * The decoder is a pure function of its state and the byte: no I/O, no
 * locks, so the console thread runs it and tests feed it directly.
 */
#include <drivers/keyboard.h>

#define SC_BREAK	0x80
#define SC_E0		0xE0
#define SC_E1		0xE1
#define SC_LCTRL	0x1D	/* 0xE0 0x1D is the right Ctrl */
#define SC_LSHIFT	0x2A
#define SC_RSHIFT	0x36
#define SC_CAPS		0x3A
#define SC_KP_SLASH	0x35	/* after 0xE0; '/' without it */
#define SC_KP_ENTER	0x1C	/* after 0xE0; Enter without it */

/*
 * Index: make code. 0 means "no character". (__unused: the starter of lab
 * 2 does not use the tables yet, and warnings are errors.)
 */
static const char keymap_plain[0x59] __unused = {
	[0x01] = 0x1b, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0',
	'-', '=', '\b', '\t',
	[0x10] = 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']',
	'\n',
	[0x1E] = 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
	[0x2B] = '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/',
	[0x37] = '*', [0x39] = ' ',
	/* The keypad, as if Num Lock were on. */
	[0x47] = '7', '8', '9', '-', '4', '5', '6', '+',
	'1', '2', '3', '0', '.',
};

static const char keymap_shift[0x59] __unused = {
	[0x01] = 0x1b, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')',
	'_', '+', '\b', '\t',
	[0x10] = 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}',
	'\n',
	[0x1E] = 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
	[0x2B] = '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?',
	[0x37] = '*', [0x39] = ' ',
	[0x47] = '7', '8', '9', '-', '4', '5', '6', '+',
	'1', '2', '3', '0', '.',
};

/* Track Shift, Ctrl and Caps Lock; true if code was one of them. */
static bool kbd_modifier(struct kbd_decoder *dec, u8 make, bool down, bool e0)
{
#ifndef LAB2_STARTER		/* lab 2 solution */
	switch (make) {
	case SC_LSHIFT:
		if (!e0)	/* 0xE0 0x2A is a fake shift some keys send */
			dec->lshift = down;
		return true;
	case SC_RSHIFT:
		if (!e0)
			dec->rshift = down;
		return true;
	case SC_LCTRL:
		if (e0)
			dec->rctrl = down;
		else
			dec->lctrl = down;
		return true;
	case SC_CAPS:
		/* Toggle on the first make only: holding the key repeats it. */
		if (down && !dec->caps_down)
			dec->caps = !dec->caps;
		dec->caps_down = down;
		return true;
	default:
		return false;
	}
#else				/* lab 2 starter */
	/*
	 * LAB 2, exercise 5 (docs/labs/lab2-interrupts.md, "From scancode to
	 * character"). make is a key's code without the break bit; down is
	 * true when it is pressed, false when released; e0 says an 0xE0
	 * prefix came first. For the left and right Shift (SC_LSHIFT,
	 * SC_RSHIFT; ignore them after 0xE0: fake shifts), the left and
	 * right Ctrl (SC_LCTRL, right after 0xE0), record in dec whether each
	 * is down. Caps Lock (SC_CAPS) toggles dec->caps when pressed, once:
	 * holding a key repeats its make code (dec->caps_down). Return true
	 * for these keys, false for any other.
	 */
	return false;
#endif				/* lab 2 */
}

static __unused bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The character of a pressed key, modifiers applied; 0 for none. */
static char kbd_key_char(const struct kbd_decoder *dec, u8 make)
{
#ifndef LAB2_STARTER		/* lab 2 solution */
	bool shift = dec->lshift || dec->rshift;
	char c;

	if (make >= ARRAY_SIZE(keymap_plain))
		return 0;
	c = shift ? keymap_shift[make] : keymap_plain[make];
	/* Caps Lock inverts Shift, for letters only. */
	if (dec->caps && is_letter(c))
		c = (char)(c ^ 0x20);
	if ((dec->lctrl || dec->rctrl) && is_letter(c))
		c = (char)(c & 0x1f);	/* Ctrl+C is 0x03 */
	return c;
#else				/* lab 2 starter */
	/*
	 * LAB 2, exercise 6 (docs/labs/lab2-interrupts.md, "From scancode to
	 * character"). The character of the pressed key make: from
	 * keymap_shift[] when a Shift is down, keymap_plain[] otherwise
	 * (mind the tables' size). Caps Lock inverts the case of letters,
	 * and only of letters (is_letter()): Caps Lock with Shift gives a
	 * small letter. With a Ctrl down, a letter becomes its control code
	 * (Ctrl+C is 0x03). 0 for a key with no character. Until you write
	 * it, the keyboard types nothing, and the kernel says so at boot.
	 */
	return 0;
#endif				/* lab 2 */
}

/*
 * ---- the extended keys (0xE0 prefix) ----
 *
 * Apart from the modifiers above (right Ctrl, the fake shifts), an 0xE0
 * key is either the keypad's Enter or '/', or a key with no character:
 * those the console uses get a KBD_KEY_* code, the rest (Home, Insert,
 * the Windows keys...) nothing.
 */
static const u16 keymap_e0[0x54] = {
	[0x48] = KBD_KEY_UP, [0x50] = KBD_KEY_DOWN,
	[0x4D] = KBD_KEY_RIGHT, [0x4B] = KBD_KEY_LEFT,
	[0x49] = KBD_KEY_PGUP, [0x51] = KBD_KEY_PGDN,
};

/* A pressed 0xE0 key: its character, its KBD_KEY_* code, or none. */
static int kbd_e0_key(const struct kbd_decoder *dec, u8 make)
{
	if (make == SC_KP_ENTER)
		return '\n';
	if (make == SC_KP_SLASH)
		return '/';
	if (make >= ARRAY_SIZE(keymap_e0) || !keymap_e0[make])
		return KBD_NO_CHAR;
	if (dec->lshift || dec->rshift)
		return keymap_e0[make] | KBD_KEY_SHIFT;
	return keymap_e0[make];
}

int kbd_decode(struct kbd_decoder *dec, u8 code)
{
	bool e0 = dec->e0;
	bool down = !(code & SC_BREAK);
	u8 make = code & ~SC_BREAK;
	char c;

	dec->e0 = false;
	if (dec->e1_skip) {	/* the rest of Pause: no character */
		dec->e1_skip--;
		return KBD_NO_CHAR;
	}
	if (code == SC_E0) {
		dec->e0 = true;
		return KBD_NO_CHAR;
	}
	if (code == SC_E1) {
		dec->e1_skip = 5;	/* E1 1D 45 E1 9D C5 */
		return KBD_NO_CHAR;
	}
	/* 0x00, 0xFA (ack), 0xFE (resend), 0xFF: controller replies. */
	if (code == 0x00 || code >= 0xFA)
		return KBD_NO_CHAR;
	if (kbd_modifier(dec, make, down, e0) || !down)
		return KBD_NO_CHAR;
	if (e0)
		return kbd_e0_key(dec, make);
	c = kbd_key_char(dec, make);
	return c ? (unsigned char)c : KBD_NO_CHAR;
}
