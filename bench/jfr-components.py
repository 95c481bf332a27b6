#!/usr/bin/env python3
"""Java execution samples of Specula JFR recordings grouped by ingestion step (the innermost Specula frame
decides), as in docs/performance.md:  bench/jfr-components.py A.jfr [B.jfr ...]  (needs a JDK's jfr on PATH or JFR)."""
import collections, json, os, subprocess, sys
J=os.environ.get('JFR', 'jfr')
def cat(frames):
    for f in frames:
        t=f['method']['type']['name']; m=f['method']['name']
        if 'textparse' in t: return 'text parsing'
        if 'ScrapeCache' in t: return 'scrape cache lookup'
        if 'LongObjectMap' in t or 'SeriesStore' in t: return 'series lookup by reference'
        if 'HeadAppender' in t and m in ('append','add'): return 'head append (check, buffer)'
        if 'MemSeries' in t or 'chunkenc' in t or 'HeadChunks' in t or 'chunks/' in t or ('HeadAppender' in t and m.startswith('commit')) or 'collectUnlogged' in m: return 'head commit (series, chunks)'
        if 'Snappy' in t or 'record/' in t or 'encoding/' in t or 'wal/' in t or 'WalHeadLog' in t: return 'WAL encode, compress, write'
        if 'jetty' in t or 'HttpScraper' in t: return 'HTTP'
        if 'ScrapeLoop' in t or 'scrape/' in t: return 'scrape loop (other)'
    return 'other (JDK, JFR, metrics, web)'
for f in sys.argv[1:]:
    ev=json.loads(subprocess.run([J,'print','--json','--events','jdk.ExecutionSample',f],capture_output=True,text=True).stdout)['recording']['events']
    c=collections.Counter(cat(e['values']['stackTrace']['frames']) for e in ev if e['values'].get('stackTrace'))
    tot=sum(c.values())
    print(f"== {f}: {tot} samples")
    for k,v in c.most_common(): print(f"  {100*v/tot:5.1f}%  {k}")
