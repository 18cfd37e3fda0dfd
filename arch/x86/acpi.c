// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal ACPI table walk to enumerate CPUs from the MADT. The RSDP is found
 * the BIOS way (first KiB of the EBDA, then 0xE0000-0xFFFFF): both SeaBIOS
 * (QEMU) and bochs' rombios32 put it there. Tables are read in place through
 * the identity map (all firmware tables lie below 4 GiB on both emulators);
 * every table's length and checksum are checked before use.
 */
#include <hyp/types.h>
#include <hyp/string.h>
#include <hyp/console.h>
#include <x86/layout.h>
#include <x86/acpi.h>

struct acpi_rsdp {
	char sig[8];
	u8 checksum;
	char oem[6];
	u8 revision;
	u32 rsdt;
	u32 length;		/* revision >= 2 from here */
	u64 xsdt;
	u8 xchecksum;
	u8 reserved[3];
} __packed;

struct acpi_header {
	char sig[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem[6];
	char oem_table[8];
	u32 oem_rev;
	u32 creator;
	u32 creator_rev;
} __packed;

#define MADT_LAPIC		0
#define MADT_X2APIC		9
#define MADT_ENABLED		BIT(0)
#define MADT_ONLINE_CAPABLE	BIT(1)
#define ACPI_MAX_TABLE		(1u << 20)	/* sanity bound on lengths */
#define IDMAP_END		((u64)IDMAP_GIB << 30)

static bool checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

static const struct acpi_rsdp *rsdp_scan(u64 start, u64 len)
{
	u64 a;

	for (a = start; a + 20 <= start + len; a += 16) {
		const struct acpi_rsdp *r = (const void *)(uintptr_t)a;

		if (!memcmp(r->sig, "RSD PTR ", 8) && checksum_ok(r, 20))
			return r;
	}
	return NULL;
}

static const struct acpi_rsdp *rsdp_find(void)
{
	u64 ebda = (u64)*(const volatile u16 *)(uintptr_t)0x40e << 4;
	const struct acpi_rsdp *r = NULL;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = rsdp_scan(ebda, 1024);
	return r ? r : rsdp_scan(0xe0000, 0x20000);
}

static const struct acpi_header *table_at(u64 pa, const char *sig)
{
	const struct acpi_header *h = (const void *)(uintptr_t)pa;

	if (!pa || pa + sizeof(*h) > IDMAP_END)
		return NULL;
	if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE || pa + h->length > IDMAP_END)
		return NULL;
	if (sig && memcmp(h->sig, sig, 4))
		return NULL;
	return checksum_ok(h, h->length) ? h : NULL;
}

static const struct acpi_header *find_madt(void)
{
	const struct acpi_rsdp *r = rsdp_find();
	const struct acpi_header *root;
	unsigned int width, i, n;

	if (!r)
		return NULL;
	/* XSDT (64-bit entries) if the RSDP is ACPI 2.0+, else RSDT. */
	if (r->revision >= 2 && checksum_ok(r, sizeof(*r)) && r->xsdt) {
		root = table_at(r->xsdt, "XSDT");
		width = 8;
	} else {
		root = table_at(r->rsdt, "RSDT");
		width = 4;
	}
	if (!root)
		return NULL;
	n = (root->length - sizeof(*root)) / width;
	for (i = 0; i < n; i++) {
		const u8 *ent = (const u8 *)(root + 1) + i * width;
		const struct acpi_header *t;
		u64 pa = 0;

		memcpy(&pa, ent, width);	/* entries are unaligned */
		t = table_at(pa, "APIC");
		if (t)
			return t;
	}
	return NULL;
}

int acpi_for_each_lapic(void (*fn)(u32 apic_id, void *arg), void *arg)
{
	const struct acpi_header *madt = find_madt();
	const u8 *p, *end;
	int n = 0;

	if (!madt)
		return -1;
	/* Entries follow the header, the LAPIC address and the flags. */
	p = (const u8 *)madt + sizeof(*madt) + 8;
	end = (const u8 *)madt + madt->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		u32 flags, id;

		if (p[0] == MADT_LAPIC && p[1] >= 8) {
			memcpy(&flags, p + 4, 4);
			id = p[3];
		} else if (p[0] == MADT_X2APIC && p[1] >= 16) {
			memcpy(&id, p + 4, 4);
			memcpy(&flags, p + 8, 4);
		} else {
			p += p[1];
			continue;
		}
		if (flags & (MADT_ENABLED | MADT_ONLINE_CAPABLE)) {
			fn(id, arg);
			n++;
		}
		p += p[1];
	}
	return n;
}
