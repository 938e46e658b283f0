// Cost of first touching anonymous memory on this machine (docs/benchmarks.md, "Whole-process time, fourth pass").
// Usage: gcc -O2 -o /tmp/page_touch bench/startup/page_touch.c && /tmp/page_touch MIB MODE
//   MODE 0: one write per 4 KiB page (one page fault each); 1: madvise(MADV_POPULATE_WRITE) over the range (Linux >= 5.14);
//   2: madvise(MADV_HUGEPAGE) then one write per page (2 MiB pages when the kernel finds them).
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <string.h>
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  size_t mb=atoi(argv[1]); int mode=atoi(argv[2]); size_t n=mb<<20;
  char*p=mmap(0,n+(2<<20),PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);
  p=(char*)(((size_t)p+(2<<20)-1)&~((size_t)(2<<20)-1));
  if(mode==2) madvise(p,n,MADV_HUGEPAGE);
  double t=now();
  if(mode==1){ if(madvise(p,n,MADV_POPULATE_WRITE)) perror("populate"); }
  else for(size_t i=0;i<n;i+=4096)p[i]=1;
  double t2=now();
  printf("%zu MiB mode %d: %.3f ms (%.2f us/page)\n",mb,mode,(t2-t)*1e3,(t2-t)*1e6/(n/4096));
}
