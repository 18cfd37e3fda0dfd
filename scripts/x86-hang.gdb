# SPDX-License-Identifier: GPL-2.0
# What every CPU of a hung x86 QEMU run was doing, and what the hypervisor
# waits for (scripts/x86-testlib.sh, X86_HANG_DUMP=1; doc/fuzzing.md).
# The caller adds: file build/x86/hyp.elf, target remote SOCKET. A CPU in
# guest mode shows the guest's RIP/CR3 (its frames are not the hypervisor's).
set pagination off
set confirm off
set print pretty off
info threads
thread apply all info registers rip rsp cr3 eflags
thread apply all bt 14
printf "--- VMs (VM state: 0 running, 1 stopping, 2 dead; vCPU: 0 off, 1 on pending, 2 on) ---\n"
set $i = 0
while $i < vms_created
  printf "vm%u (%s): state %u, running %u, s2 lock next %u owner %u, flush_lock %u/%u, dying %d, unflushed %u [%#llx, %#llx)\n", $i, vms[$i].name, vms[$i].state, vms[$i].running, vms[$i].s2.lock.next, vms[$i].s2.lock.owner, vms[$i].s2.flush_lock.next, vms[$i].s2.flush_lock.owner, vms[$i].s2.dying, vms[$i].s2.unflushed, vms[$i].s2.unflushed_start, vms[$i].s2.unflushed_end
  set $j = 0
  while $j < vms[$i].nr_vcpus
    printf "  vcpu%u: cpu%u, state %u, leave %d, entry %#llx\n", $j, vms[$i].vcpus[$j].pcpu, vms[$i].vcpus[$j].state, vms[$i].vcpus[$j].leave, vms[$i].vcpus[$j].entry
    if vms[$i].vcpus[$j].arch != 0
      set $x = (struct x86_vcpu *)vms[$i].vcpus[$j].arch
      set $b = (unsigned long long)$x->vmcb
      printf "    exits %llu", $x->exits
      if x86_virt.backend == X86_BACKEND_SVM
        printf "; VMCB: exit %#llx info1 %#llx info2 %#llx, RIP %#llx, RAX %#llx, CR3 %#llx", *(unsigned long long *)($b + 0x70), *(unsigned long long *)($b + 0x78), *(unsigned long long *)($b + 0x80), *(unsigned long long *)($b + 0x578), *(unsigned long long *)($b + 0x5f8), *(unsigned long long *)($b + 0x550)
      end
      printf "\n"
    end
    set $j = $j + 1
  end
  set $i = $i + 1
end
printf "vms_alive %u, vms_reported %u\n", vms_alive, vms_reported
printf "--- x86 shootdown per CPU (acked when ack == req) ---\n"
set $c = 0
while $c < nr_cpus_possible
  printf "cpu%u: req %u ack %u, owed all %u vmids %#llx, batch %#llx, sent %llu, waited %llu, svm %d\n", $c, x86_cpus[$c].shoot_req, x86_cpus[$c].shoot_ack, x86_cpus[$c].s2_flush_all, x86_cpus[$c].s2_flush_vmids, x86_cpus[$c].batch_cpus, x86_cpus[$c].ipis_sent, x86_cpus[$c].acks_waited, x86_cpus[$c].svm_on
  set $c = $c + 1
end
detach
