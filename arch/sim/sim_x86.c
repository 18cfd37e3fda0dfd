// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 instruction model: what arch/x86/tlb.c's shootdown protocol and
 * arch/x86/tlb_entry.c's VM-entry flushes (the backends' INVEPT / VMCB
 * encoding) run against on the simulated CPUs of cfg.insn_cpus (x86
 * flavour). Both are compiled unchanged; this file provides what they touch
 * of the hardware: lapic_send_ipi() and the instructions of x86/tlbinsn.h
 * (doc/simulation.md, "The x86 instruction model", rules X1-X11):
 *   X1  EPT/NPT translations are tagged (EP4TA / ASID; VMID-wide here) and
 *       survive VM exit and VM entry: only INVEPT and TLB_CONTROL flush them
 *   X2  lapic_send_ipi(NMI) makes the target take an NMI at a later step of
 *       the scheduler's choosing, interrupts masked or not (not while GIF is
 *       clear); in guest mode the NMI is a VM exit first; the handler
 *       (x86_shootdown_nmi) runs in host mode on the target
 *   X3  nothing walks EPT/NPT in host mode: no speculative fills outside
 *       guest mode; a CPU's entries of a VMID it owes a flush for are dead
 *       while it is in host mode (never used before the flush at entry)
 *   X4  a guest translation fault is a VM exit
 *   X5  a CPU outside the shootdown set keeps its entries
 *   X6  INVEPT: single-context drops the entries of its EPTP's EP4TA only,
 *       all-context every entry; an EPTP or type the CPU does not support
 *       is VMfail (nothing invalidated): a violation. VM entry translates
 *       through the VMCS's EPTP, which must be valid and the loaded root
 *   X7  VMRUN reads the VMCB's ASID, nCR3 and TLB_CONTROL *at VMRUN*, per
 *       VMCB: 0 nothing, 1 every ASID, 3/7 this ASID (FlushByAsid only);
 *       ASID 0 or another value is VMEXIT_INVALID; the ASID must be the
 *       VMID the CPU translates for (the model's tag) and nCR3 its root
 *   X8  CLGI holds NMIs until VMRUN, where a held NMI exits at once; VMX
 *       has no GIF (the NMI is taken wherever the CPU is in host mode)
 *   X9  combined entries (EP4TA, VPID, PCID, linear address) on VMX CPUs,
 *       kept across VM entry/exit; INVVPID drops those of its VPID (or all),
 *       never guest-physical ones; INVEPT those of its EP4TA; INVVPID's type
 *       and VPID are checked
 *   X10 a vCPU arriving on a CPU (sim_x86_vcpu_load) runs the backend's
 *       vCPU-load code; the guest's stage 1 is the vCPU's, its own
 *       invalidations reach only the CPU it runs on; a combined entry of a
 *       rewritten guest mapping must not be hit
 *   X11 combined entries on SVM, tagged by ASID (the VM's, shared by its
 *       vCPUs) and PCID, kept across VMRUN/#VMEXIT, gone with TLB_CONTROL
 * The backend (SVM or VMX) and its capabilities are chosen by the seed.
 */
#include "sim_internal.h"
#include <hyp/percpu.h>
#include <hyp/string.h>
#include <x86/apic.h>
#include <x86/percpu.h>
#include <x86/tlb.h>
#include <x86/tlbinsn.h>
#include <x86/virt.h>

struct x86_cpu x86_cpus[HYP_MAX_CPUS];
struct x86_virt x86_virt;	/* the model's CPU: backend and capabilities (seed) */
static int nmi_cpu = -1;	/* the NMI handler runs "on" this CPU */

#define VMCB_SLOTS	8
#define VMCB_BYTES	256	/* the control-area fields tlbinsn.h writes */

/* Per CPU: GIF, the current VMCS's EPTP, the VMCBs of the vCPUs run here. */
static struct x86_model_cpu {
	bool gif_clear;
	int promised;		/* TLB_CONTROL written with GIF clear, for this VMRUN; -1 none */
	u64 eptp;
	u64 vmcb_root[VMCB_SLOTS];	/* one VMCB per VM (root) run on this CPU */
	u8 vmcb[VMCB_SLOTS][VMCB_BYTES];
	unsigned int vmcb_next;
} xm[HYP_MAX_CPUS];

struct x86_cpu *x86_model_this_cpu(void)
{
	if (nmi_cpu >= 0)
		return &x86_cpus[nmi_cpu];
	return &x86_cpus[sim_this_cpu < 0 ? 0 : sim_this_cpu];
}


void sim_x86_reset(void)
{
	u64 v = sim.cfg.seed >> 1;

	memset(x86_cpus, 0, sizeof(x86_cpus));
	memset(xm, 0, sizeof(xm));
	for (unsigned int i = 0; i < HYP_MAX_CPUS; i++)
		xm[i].promised = -1;
	/* The backend by seed parity, its capabilities by the next bits (X6, X7). */
	memset(&x86_virt, 0, sizeof(x86_virt));
	x86_virt.backend = (sim.cfg.seed & 1) ? X86_BACKEND_VMX : X86_BACKEND_SVM;
	x86_virt.flush_by_asid = v % 4 != 3;
	x86_virt.invept_single = true;
	/*
	 * All-context INVEPT on half the VMX seeds (X6): VMX CPUs tag EPT
	 * entries by EP4TA (the root), so what a single-context INVEPT of one
	 * root leaves behind is modelled, and tlb_entry.c's fallback is tested.
	 */
	x86_virt.invept_all = !((v >> 3) & 1);
	x86_virt.ept_ad = (v >> 2) & 1;
	x86_virt.vpid = true;
	/* X9: single-context INVVPID absent on a quarter of the VMX seeds (all-context then). */
	x86_virt.invvpid_single = ((v >> 4) & 3) != 3;
	for (unsigned int i = 0; i < HYP_MAX_CPUS; i++) {
		x86_cpus[i].self = &x86_cpus[i];
		x86_cpus[i].cpu = i;
		x86_cpus[i].apic_id = i;
		x86_cpus[i].vmx_on = x86_virt.backend == X86_BACKEND_VMX;
		x86_cpus[i].svm_on = x86_virt.backend == X86_BACKEND_SVM;
	}
	if (sim.cfg.flavour == SIM_X86 && sim.cfg.insn_cpus)
		nr_cpus_possible = sim.cfg.ncpus;	/* tlb.c's inval_all targets them */
}

/* X2: the ICR write. Delivery happens in sim_x86_step(). */
void lapic_send_ipi(u32 dest, u32 icr_lo)
{
	if (icr_lo == APIC_ICR_NMI && dest < sim.cfg.ncpus) {
		sim.cpu[dest].x86_nmi_pending = true;
		sim_trace(EV_INVAL_ISSUE, 0, 0, 0, (s64)dest, "x86 NMI sent");
	}
	if (sim.running)
		sim_sched(false);
	else
		sim_x86_settle();	/* outside a run: taken at once */
}

void sim_x86_settle(void);

/* X2: one pending NMI per step, with 30 % probability; none outside a run. */
void sim_x86_step(void)
{
	unsigned int n = sim.cfg.ncpus, t;

	/* Only where the model is in use: other runs keep their random streams. */
	if (sim.cfg.flavour != SIM_X86 || !sim.cfg.insn_cpus || sim_hw_rand() % 10 >= 3)
		return;
	t = (unsigned int)(sim_hw_rand() % n);
	for (unsigned int k = 0; k < n; k++, t = (t + 1) % n) {
		if (!sim.cpu[t].x86_nmi_pending || xm[t].gif_clear)
			continue;	/* X8: GIF clear holds it */
		sim.cpu[t].x86_nmi_pending = false;
		sim.cpu[t].x86_in_guest = false;	/* NMI exiting: a VM exit first */
		nmi_cpu = (int)t;
		x86_shootdown_nmi();
		nmi_cpu = -1;
		sim_trace(EV_INVAL_DONE, 0, 0, 0, (s64)t, "x86 NMI taken, acknowledged");
		return;
	}
}

void sim_x86_settle(void)
{
	for (unsigned int t = 0; t < sim.cfg.ncpus; t++)
		if (sim.cpu[t].x86_nmi_pending) {
			sim.cpu[t].x86_nmi_pending = false;
			nmi_cpu = (int)t;
			x86_shootdown_nmi();
			nmi_cpu = -1;
		}
}

/* ---- the instructions of x86/tlbinsn.h ------------------------------------ */

static unsigned int model_cpu(void)
{
	return x86_model_this_cpu()->cpu;
}

/*
 * A step between two instructions: an NMI may come there, other CPUs run
 * (not inside an NMI handler). Taken after an instruction's effect, and
 * before CLGI and VM entry: nothing but tlb.c's owed-bit exchange (plain
 * atomics) lies between the owed check and the write that acts on it.
 */
static void insn_step(void)
{
	if (sim.running && nmi_cpu < 0)
		sim_sched(false);
}

static bool eptp_valid(u64 eptp)
{
	/* SDM "Extended-Page-Table Pointer": WB, 4-level, A/D if supported, no reserved bits. */
	return (eptp & 7) == EPTP_MT_WB && (eptp & GENMASK(5, 3)) == EPTP_WALK4 &&
	       (!(eptp & EPTP_AD) || x86_virt.ept_ad) && !(eptp & EPTP_RSVD_LOW) &&
	       !(eptp >> 52);
}

/* X6 */
void x86_model_invept(u64 type, u64 eptp)
{
	unsigned int ci = model_cpu();

	if (type == INVEPT_SINGLE && x86_virt.invept_single) {
		if (!eptp_valid(eptp))
			sim_violation("X6", 0, 0, sim.cpu[ci].vmid,
				      "cpu%u INVEPT single-context with EPTP %#llx: not a valid EPTP "
				      "(VMfailValid, nothing invalidated)", ci, eptp);
		sim_flush_local_root(ci, eptp & GENMASK(51, 12));
	} else if (type == INVEPT_ALL && x86_virt.invept_all) {
		sim_flush_local(ci, true, 0);
		sim_trace(EV_INVAL_DONE, 0, 0, 0, (s64)ci, "x86 INVEPT all-context");
	} else {
		sim_violation("X6", 0, 0, sim.cpu[ci].vmid,
			      "cpu%u INVEPT type %llu, not supported by this CPU (VMfailValid, "
			      "nothing invalidated)", ci, type);
	}
	insn_step();
}

/* X9 */
void x86_model_invvpid(u64 type, u16 vpid)
{
	unsigned int ci = model_cpu();

	if (!(type == INVVPID_ALL || (type == INVVPID_SINGLE && x86_virt.invvpid_single && vpid)))
		sim_violation("X9", 0, 0, sim.cpu[ci].vmid,
			      "cpu%u INVVPID type %llu VPID %u: VMfailValid", ci, type, vpid);
	/* X9: combined (linear) entries of that VPID, or of all VPIDs; EPT entries stay. */
	sim_flush_local_vpid(ci, type == INVVPID_ALL, vpid);
	insn_step();
}

void x86_model_vmwrite_eptp(u64 eptp)
{
	xm[model_cpu()].eptp = eptp;
	insn_step();
}

void x86_model_clgi(void)
{
	insn_step();
	xm[model_cpu()].gif_clear = true;
	xm[model_cpu()].promised = -1;
}

/* X7: a plain store into the VMCB; nothing happens until VMRUN reads it. */
void x86_model_vmcb_write(u8 *vmcb, unsigned int off, u64 v, unsigned int size)
{
	struct x86_model_cpu *m = &xm[model_cpu()];

	if (vmcb < m->vmcb[0] || vmcb >= m->vmcb[VMCB_SLOTS] || off + size > VMCB_BYTES)
		sim_violation("X7", 0, 0, 0, "VMCB write outside the model's VMCBs");
	memcpy(vmcb + off, &v, size);
	/* X3: with GIF clear, VMRUN of this VMCB comes next: its flush is as good as done. */
	if (off == TLBI_VMCB_TLB_CONTROL && m->gif_clear)
		m->promised = (int)v;
	insn_step();
}

/* The VMCB of the vCPU of the VM with @root on CPU ci (a new one if none). */
static u8 *vmcb_of(unsigned int ci, u64 root)
{
	struct x86_model_cpu *m = &xm[ci];
	unsigned int k;

	for (k = 0; k < VMCB_SLOTS; k++)
		if (m->vmcb_root[k] == root)
			return m->vmcb[k];
	k = m->vmcb_next++ % VMCB_SLOTS;
	m->vmcb_root[k] = root;
	memset(m->vmcb[k], 0, VMCB_BYTES);
	return m->vmcb[k];
}

static void take_nmi(unsigned int t)
{
	sim.cpu[t].x86_nmi_pending = false;
	nmi_cpu = (int)t;
	x86_shootdown_nmi();
	nmi_cpu = -1;
	sim_trace(EV_INVAL_DONE, 0, 0, 0, (s64)t, "x86 NMI taken at VM entry, acknowledged");
}

/* X7 (+X8): VMRUN of @vmcb on CPU ci. */
static void model_vmrun(unsigned int ci, const u8 *vmcb)
{
	struct sim_cpu *c = &sim.cpu[ci];
	u32 asid;
	u64 ncr3;
	u8 ctl;

	insn_step();
	memcpy(&asid, vmcb + TLBI_VMCB_ASID, 4);
	memcpy(&ncr3, vmcb + TLBI_VMCB_NCR3, 8);
	ctl = vmcb[TLBI_VMCB_TLB_CONTROL];
	if (!asid || asid != c->vmid || ncr3 != c->root)
		sim_violation("X7", 0, 0, c->vmid,
			      "cpu%u VMRUN with ASID %u, nCR3 %#llx for vmid %u (root %#llx): %s",
			      ci, asid, ncr3, c->vmid, c->root, !asid ? "VMEXIT_INVALID" :
			      "the guest would translate under another tag / table");
	if (ctl == 1) {
		sim_flush_local(ci, true, 0);
	} else if ((ctl == 3 || ctl == 7) && x86_virt.flush_by_asid) {
		sim_flush_local(ci, false, asid);
	} else if (ctl != 0) {
		sim_violation("X7", 0, 0, c->vmid,
			      "cpu%u VMRUN with TLB_CONTROL %u%s: VMEXIT_INVALID", ci, ctl,
			      x86_virt.flush_by_asid ? "" : " without FlushByAsid");
	}
	xm[ci].gif_clear = false;	/* in the guest, and after #VMEXIT (STGI) */
	xm[ci].promised = -1;
	if (c->x86_nmi_pending)
		take_nmi(ci);		/* X8: held by GIF, exits at once */
	else
		c->x86_in_guest = true;
}

/* X6 (+X8): VMLAUNCH/VMRESUME on CPU ci with the current VMCS. */
static void model_vmentry(unsigned int ci)
{
	struct sim_cpu *c = &sim.cpu[ci];
	u64 eptp = xm[ci].eptp;

	insn_step();
	if (!eptp_valid(eptp) || (eptp & GENMASK(51, 12)) != c->root)
		sim_violation("X6", 0, 0, c->vmid,
			      "cpu%u VM entry with EPTP %#llx for vmid %u (root %#llx): %s", ci,
			      eptp, c->vmid, c->root, eptp_valid(eptp) ?
			      "another table" : "VM-entry failure (invalid EPTP)");
	if (c->x86_nmi_pending)
		take_nmi(ci);		/* NMI exiting: exits at once */
	else
		c->x86_in_guest = true;
}

/*
 * X1: VM entry on this CPU (its own thread): arch/x86/tlb_entry.c's entry
 * half of the backend, then VMRUN / VM entry. A held NMI makes it exit at
 * once: enter again.
 */
void sim_x86_entry(unsigned int ci)
{
	struct sim_cpu *c = &sim.cpu[ci];

	while (!c->x86_in_guest) {
		if (x86_virt.backend == X86_BACKEND_SVM) {
			u8 *vmcb = vmcb_of(ci, c->root);

			svm_tlb_enter(vmcb);
			model_vmrun(ci, vmcb);
		} else {
			vmx_tlb_enter();
			model_vmentry(ci);
		}
	}
}

/*
 * X10: a vCPU made current on this CPU (vmx_vcpu_run() / svm_vcpu_run()
 * before their loop): the backend's vCPU-load code, unchanged.
 */
void sim_x86_vcpu_load(u16 vpid)
{
	struct sim_cpu *c = sim_cur();

	if (!sim.inited || !sim_x86_insn_cpu())
		return;
	c->x86_in_guest = false;
	c->x86_vcpu = vpid;
	sim_trace(EV_LOAD, c->vmid, 0, vpid, (s64)(c - sim.cpu), "x86 vCPU load (VPID)");
	if (x86_virt.backend == X86_BACKEND_VMX)
		vmx_tlb_vcpu_load(vpid);
	else
		svm_tlb_vcpu_load();
}

/* X6: a VMX instruction-model CPU tags EPT entries by EP4TA (their root). */
bool sim_x86_ep4ta(unsigned int c)
{
	return sim_x86_insn_cpu_n(c) && x86_virt.backend == X86_BACKEND_VMX;
}

/*
 * X3: an entry of `vmid` on CPU ci that will be flushed before any use: the
 * CPU owes a flush for vmid and is not running vmid in guest mode.
 */

bool sim_x86_entry_dead(unsigned int ci, u32 vmid, u64 root)
{
	const struct x86_cpu *x = &x86_cpus[ci];
	int p = xm[ci].promised;

	/*
	 * X6: on VMX an entry of another root than the one this CPU loads
	 * carries another EP4TA: unusable until that root is entered again.
	 * Whether a flush comes first is checked where it matters, at use
	 * (a hit or a walk through it: R1 / R6).
	 */
	if (sim_x86_ep4ta(ci) && root != sim.cpu[ci].root)
		return true;

	/* Dead unless the CPU is in guest mode with that VMID (tagged: X1). */
	if (!sim_x86_insn_cpu_n(ci) || (sim.cpu[ci].x86_in_guest && sim.cpu[ci].vmid == vmid))
		return false;
	/* X7: VMRUN is next with this TLB_CONTROL (GIF clear): flushed before any use. */
	if (xm[ci].gif_clear && (p == 1 || ((p == 3 || p == 7) && x86_virt.flush_by_asid &&
					    sim.cpu[ci].vmid == vmid)))
		return true;
	return __atomic_load_n(&x->s2_flush_all, __ATOMIC_SEQ_CST) ||
	       (__atomic_load_n(&x->s2_flush_vmids, __ATOMIC_SEQ_CST) & BIT(vmid & 63));
}

/* ---- the model's own rules, checked directly (simtest model-x86-insn-rules) ---- */

static void plant(unsigned int k, u32 vmid, u64 root, u64 ipa)
{
	struct sim_entry *e = &sim.cpu[0].tlb[k];

	memset(e, 0, sizeof(*e));
	e->valid = 1;
	e->vmid = vmid;
	e->root = root;
	e->ipa = ipa;
	e->pa = root + 0x100000;
	e->level = 3;
}

static bool held(unsigned int k)
{
	return sim.cpu[0].tlb[k].valid;
}

/*
 * X1, X6, X7, X9 on CPU 0, outside a run, both backends: entries survive VM
 * entry and exit; a TLB_CONTROL write does nothing by itself; TLB_CONTROL
 * acts at VMRUN of *its* VMCB and 3 only on that ASID; single-context
 * INVEPT only on its EP4TA. Return NULL, or the rule that does not hold.
 */
const char *sim_x86_model_selftest(void)
{
	struct sim_cpu *c = &sim.cpu[0];
	const u64 ra = 0x40001000, rb = 0x40002000;
	struct x86_virt saved = x86_virt;
	const char *bad = NULL;
	u8 *va, *vb;

	if (sim.cfg.tlb_entries < 2)
		return "tlb_entries < 2";
	x86_virt.backend = X86_BACKEND_SVM;
	x86_virt.flush_by_asid = true;
	x86_virt.ept_ad = false;
	x86_virt.invvpid_single = true;
	c->loaded = true;
	c->vmid = 1;
	c->root = ra;
	c->x86_in_guest = false;
	va = vmcb_of(0, ra);
	vb = vmcb_of(0, rb);
	plant(0, 1, ra, 0);
	plant(1, 2, rb, 0);
	/* X7: TLB_CONTROL = 1 into B's VMCB: a store, nothing flushed. */
	xm[0].gif_clear = true;
	vmcb_write_tlb_control(vb, 1);
	vmcb_write_asid(va, 1);
	vmcb_write_ncr3(va, ra);
	vmcb_write_tlb_control(va, 0);
	if (!held(0) || !held(1))
		bad = "X7: a TLB_CONTROL write flushed before VMRUN";
	/* X1: VMRUN of A with 0 keeps both; exit and entry again: still kept. */
	model_vmrun(0, va);
	c->x86_in_guest = false;	/* #VMEXIT */
	xm[0].gif_clear = true;
	model_vmrun(0, va);
	c->x86_in_guest = false;
	if (!bad && (!held(0) || !held(1)))
		bad = "X1: an entry did not survive VM entry / exit";
	/* X7: 3 in A's VMCB at its VMRUN: A's ASID only; B's 1 never ran. */
	xm[0].gif_clear = true;
	vmcb_write_tlb_control(va, 3);
	model_vmrun(0, va);
	c->x86_in_guest = false;
	if (!bad && (held(0) || !held(1)))
		bad = "X7: TLB_CONTROL 3 did not flush exactly its ASID at VMRUN";
	/* X6: INVEPT single-context with A's EPTP keeps B's EP4TA, all-context not. */
	x86_virt.backend = X86_BACKEND_VMX;
	plant(0, 1, ra, 0);
	invept(INVEPT_SINGLE, ra | EPTP_MT_WB | EPTP_WALK4);
	if (!bad && (held(0) || !held(1)))
		bad = "X6: INVEPT single-context was not exactly its EP4TA";
	plant(0, 1, ra, 0);
	invept(INVEPT_ALL, 0);
	if (!bad && (held(0) || held(1)))
		bad = "X6: INVEPT all-context kept an entry";
	/*
	 * X9: combined entries (VPID-tagged): 2 = VPID 1 under A's EP4TA, 3 =
	 * VPID 2 under B's; 0 = a guest-physical entry. INVVPID single(1)
	 * drops 2 only; INVEPT single(B) drops 3 (combined entries are
	 * tagged by EP4TA too); INVVPID never drops guest-physical ones.
	 */
	if (sim.cfg.tlb_entries >= 4) {
		plant(0, 1, ra, 0);
		plant(2, 1, ra, 0);
		sim.cpu[0].tlb[2].s1 = 1;
		sim.cpu[0].tlb[2].vpid = 1;
		plant(3, 2, rb, 0);
		sim.cpu[0].tlb[3].s1 = 1;
		sim.cpu[0].tlb[3].vpid = 2;
		invvpid(INVVPID_SINGLE, 1);
		if (!bad && (!held(0) || held(2) || !held(3)))
			bad = "X9: INVVPID single-context was not exactly its VPID's combined entries";
		invept(INVEPT_SINGLE, rb | EPTP_MT_WB | EPTP_WALK4);
		if (!bad && held(3))
			bad = "X9: INVEPT single-context kept a combined entry of its EP4TA";
		invvpid(INVVPID_ALL, 0);
		if (!bad && !held(0))
			bad = "X9: INVVPID dropped a guest-physical entry";
		sim.cpu[0].tlb[0].valid = 0;
	}
	xm[0].gif_clear = false;
	xm[0].promised = -1;
	c->loaded = false;
	x86_virt = saved;
	return bad;
}

/* A combined (guest-linear) entry in slot k of CPU 0: ASID / VPID tags, PCID, linear page. */
static void plant_linear(unsigned int k, u32 vmid, u64 root, u16 vpid, u16 pcid, u64 va)
{
	plant(k, vmid, root, 0);
	sim.cpu[0].tlb[k].s1 = 1;
	sim.cpu[0].tlb[k].vpid = vpid;
	sim.cpu[0].tlb[k].asid = pcid;
	sim.cpu[0].tlb[k].va = va;
}

/*
 * X11 on CPU 0, outside a run: SVM's guest-linear (combined) entries are
 * tagged by ASID and survive VMRUN and #VMEXIT with TLB_CONTROL 0 (twice);
 * TLB_CONTROL 3 at VMRUN of A's VMCB drops ASID 1's (every PCID), keeps
 * ASID 2's and the guest-physical entry of ASID 2; 1 drops them all. A model
 * that drops combined entries at every VMRUN (as QEMU does) would hide a
 * missing vCPU-arrival flush (x86-svm-no-vcpu-flush): it fails here.
 */
const char *sim_x86_model_svm_selftest(void)
{
	struct sim_cpu *c = &sim.cpu[0];
	const u64 ra = 0x40001000, rb = 0x40002000, va = 1ULL << 47;
	struct x86_virt saved = x86_virt;
	const char *bad = NULL;
	u8 *vmcb;

	if (sim.cfg.tlb_entries < 4)
		return "tlb_entries < 4";
	x86_virt.backend = X86_BACKEND_SVM;
	x86_virt.flush_by_asid = true;
	c->loaded = true;
	c->vmid = 1;
	c->root = ra;
	c->x86_in_guest = false;
	vmcb = vmcb_of(0, ra);
	plant_linear(0, 1, ra, 0, 0, va);
	plant_linear(1, 1, ra, 0, 1, va + PAGE_SIZE);
	plant_linear(2, 2, rb, 0, 0, va);
	plant(3, 2, rb, 0);
	for (int i = 0; i < 2; i++) {
		xm[0].gif_clear = true;
		vmcb_write_asid(vmcb, 1);
		vmcb_write_ncr3(vmcb, ra);
		vmcb_write_tlb_control(vmcb, 0);
		model_vmrun(0, vmcb);
		c->x86_in_guest = false;	/* #VMEXIT */
	}
	if (!held(0) || !held(1) || !held(2) || !held(3))
		bad = "X11: an ASID-tagged combined entry did not survive VMRUN / #VMEXIT "
		      "with TLB_CONTROL 0";
	xm[0].gif_clear = true;
	vmcb_write_tlb_control(vmcb, 3);
	model_vmrun(0, vmcb);
	c->x86_in_guest = false;
	if (!bad && (held(0) || held(1) || !held(2) || !held(3)))
		bad = "X11: TLB_CONTROL 3 did not drop exactly its ASID's combined entries";
	xm[0].gif_clear = true;
	vmcb_write_tlb_control(vmcb, 1);
	model_vmrun(0, vmcb);
	c->x86_in_guest = false;
	if (!bad && (held(2) || held(3)))
		bad = "X11: TLB_CONTROL 1 kept another ASID's entry";
	for (unsigned int k = 0; k < 4; k++)
		sim.cpu[0].tlb[k].valid = 0;
	xm[0].gif_clear = false;
	xm[0].promised = -1;
	c->loaded = false;
	x86_virt = saved;
	return bad;
}

/*
 * X10 on CPUs 0 and 1, outside a run, both backends: the same vCPU's
 * combined entry (same VPID / ASID, PCID 0, linear page) on both CPUs; the
 * guest on CPU 1 rewrites its page table (sim_guest_s1_change()): its own
 * invalidation drops CPU 1's entry and keeps CPU 0's (the guest's
 * INVLPG / MOV CR3 / INVPCID act on the executing processor only), which is
 * what makes the hypervisor's flush at vCPU arrival necessary. A model that
 * broadcast the guest's invalidation would hide every missing arrival
 * flush (x86-vmx-vpid-skip-same, x86-svm-no-vcpu-flush): it fails here.
 */
const char *sim_x86_model_vcpu_selftest(void)
{
	const u64 ra = 0x40001000, va = 1ULL << 47;
	struct x86_virt saved = x86_virt;
	int saved_cpu = sim_this_cpu;
	const char *bad = NULL;

	if (sim.cfg.ncpus < 2 || sim.cfg.tlb_entries < 1)
		return "ncpus < 2";
	for (int b = 0; b < 2 && !bad; b++) {
		x86_virt.backend = b ? X86_BACKEND_VMX : X86_BACKEND_SVM;
		for (unsigned int ci = 0; ci < 2; ci++) {
			struct sim_cpu *c = &sim.cpu[ci];
			struct sim_entry *e = &c->tlb[0];

			c->loaded = true;
			c->vmid = 1;
			c->root = ra;
			c->x86_in_guest = true;
			c->x86_vcpu = 5;
			c->a64_asid_pin = 0;
			memset(e, 0, sizeof(*e));
			e->valid = e->s1 = 1;
			e->vmid = 1;
			e->root = ra;
			e->pa = ra + 0x100000;
			e->level = 3;
			e->vpid = b ? 5 : 0;
			e->va = va;
		}
		sim_this_cpu = 1;
		sim_guest_s1_change();
		sim_this_cpu = saved_cpu;
		if (sim.cpu[1].tlb[0].valid)
			bad = "X10: the guest's own invalidation kept its combined entry on its CPU";
		else if (!sim.cpu[0].tlb[0].valid)
			bad = "X10: the guest's own invalidation reached another CPU";
	}
	for (unsigned int ci = 0; ci < 2; ci++) {
		sim.cpu[ci].tlb[0].valid = 0;
		sim.cpu[ci].loaded = sim.cpu[ci].x86_in_guest = false;
		sim.cpu[ci].x86_vcpu = 0;
		sim.cpu[ci].a64_asid_pin = -1;
	}
	x86_virt = saved;
	return bad;
}
