#include "bench/harness/proc_sampler.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace tryon::bench;

TEST(ProcSampler, ParsesStatWithAwkwardCommandNames) {
  // Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
  // majflt cmajflt utime stime cutime cstime priority nice num_threads ...
  const std::string stat = "4242 (my (odd) proc) S 1 2 3 0 -1 4194560 10 0 "
                           "0 0 250 50 0 0 20 0 7 0 100 12345 678";
  auto cpu = parse_proc_stat_cpu(stat, 100);
  ASSERT_TRUE(cpu);
  EXPECT_DOUBLE_EQ(*cpu, 3.0);
  EXPECT_EQ(parse_proc_stat_threads(stat), 7);
  EXPECT_FALSE(parse_proc_stat_cpu("garbage", 100));
  EXPECT_FALSE(parse_proc_stat_cpu("1 (x) S 1", 100));
}

TEST(ProcSampler, ParsesStatusKb) {
  const std::string status = "Name:\ttryon-server\nVmPeak:\t  900 kB\n"
                             "VmRSS:\t   81234 kB\nVmHWM:\t   90000 kB\n";
  EXPECT_EQ(parse_status_kb(status, "VmRSS"), 81234u);
  EXPECT_EQ(parse_status_kb(status, "VmHWM"), 90000u);
  EXPECT_FALSE(parse_status_kb(status, "VmSwap"));
  EXPECT_FALSE(parse_status_kb(status, "VmRS"));
}

TEST(ProcSampler, SamplesThisProcess) {
  auto self = sample_proc(0);
  ASSERT_TRUE(self);
  EXPECT_GT(self->rss_kb, 0u);
  EXPECT_GE(self->threads, 1);
  auto by_pid = sample_proc(static_cast<int>(getpid()));
  ASSERT_TRUE(by_pid);
  EXPECT_GE(by_pid->cpu_s, 0.0);
  EXPECT_FALSE(sample_proc(1 << 30)); // no such process
  EXPECT_GE(load_average_1m(), 0.0);
}

TEST(ProcSampler, ParsesSockstatTcpMemory) {
  const std::string sockstat = "sockets: used 180\n"
                               "TCP: inuse 61 orphan 0 tw 347 alloc 61 mem "
                               "14343\nUDP: inuse 2 mem 1\n";
  EXPECT_EQ(parse_sockstat_tcp_kb(sockstat, 4096), 14343u * 4);
  EXPECT_FALSE(parse_sockstat_tcp_kb("UDP: inuse 2 mem 1\n", 4096));
  EXPECT_FALSE(parse_sockstat_tcp_kb("TCP: inuse 61\n", 4096));
  EXPECT_TRUE(tcp_buffer_kb()); // this machine has /proc/net/sockstat
}
