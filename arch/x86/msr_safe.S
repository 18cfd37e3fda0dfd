/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bool rdmsr_safe(u32 msr, u64 *val): RDMSR that returns false instead of
 * dying when the MSR does not exist. x86_trap() resumes a #GP at
 * rdmsr_safe_insn at rdmsr_safe_fixup (traps.c).
 */
	.code64
	.text
	.globl rdmsr_safe, rdmsr_safe_insn, rdmsr_safe_fixup
rdmsr_safe:
	mov	%edi, %ecx
rdmsr_safe_insn:
	rdmsr
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, (%rsi)
	mov	$1, %eax
	ret
rdmsr_safe_fixup:
	xor	%eax, %eax
	ret
