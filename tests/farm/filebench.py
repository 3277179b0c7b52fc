# Throughput of the shared cache tier as files (docs/FARM.md): N writes then N reads of 128 KiB values by W
# processes on 256 keys they share, each written under a temporary name and renamed. Usage: filebench.py DIR N W
import os, sys, time, hashlib, multiprocessing as mp
D = sys.argv[1]; N = int(sys.argv[2]); W = int(sys.argv[3]); SIZE = 131072
def writer(w):
    blob = os.urandom(SIZE)
    for i in range(N):
        key = hashlib.sha256(b"%d" % (i % 256)).hexdigest()  # writers collide on the same keys
        d = os.path.join(D, key[:2]); os.makedirs(d, exist_ok=True)
        f = os.path.join(d, key); t = f + ".tmp-%d-%d" % (os.getpid(), i)
        with open(t, "wb") as o: o.write(blob)
        os.rename(t, f)
def reader(w):
    for i in range(N):
        key = hashlib.sha256(b"%d" % (i % 256)).hexdigest()
        with open(os.path.join(D, key[:2], key), "rb") as f: assert len(f.read()) == SIZE
for name, fn in (("write", writer), ("read", reader)):
    t = time.time(); ps = [mp.Process(target=fn, args=(w,)) for w in range(W)]
    [p.start() for p in ps]; [p.join() for p in ps]
    dt = time.time() - t; print("%s: %d writers, %.0f ops/s, %.0f MB/s" % (name, W, N*W/dt, N*W*SIZE/dt/1e6))
