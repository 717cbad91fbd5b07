// Package bench times the memoir-size training epoch of direct MFC and of
// the FBSDE (MFG) on this project's GoMLX backend and, beside it, the same
// epoch in PyTorch. `mfe bench` is its command:
//
//	go build -o bin/mfe ./mfe/cmd/mfe
//	bin/mfe bench [-methods direct-mfc,fbsde] [-n 10000] [-steps 100] [-epochs 10] [-warmup 2] [-json FILE] [-torch=false] [-python P]
//	GOMLX_BACKEND=xla:cuda bin/mfe bench    # on a GPU: the reference runs with --device cuda
//
// It prints one table: per method, the median seconds per epoch on each
// side, their ratio (PyTorch over Go: above 1 the project is faster), the
// peak memory of each side, and above it the date, the CPU, the number of
// cores, the Go, GoMLX and PyTorch versions and the backend; -json writes
// the same report ([Report]) with every epoch's time and CPU time. Compare
// only the two sides of one run: they ran one after the other on the same
// machine.
//
// # What is timed
//
// The work of the original PyTorch implementation's epoch, on both sides:
// N = 10,000 particles, N_T = 100 Euler steps, the reference parameters,
// ReLU networks (direct MFC: one network of (t, x), 3 hidden layers of
// 128; FBSDE: Y_0 of x, 2 hidden layers of 64, and Z of (t, x), 2 hidden
// layers of 128), fresh X_0 and Brownian increments, one forward pass, one
// backward pass and one AdamW step. These are the memoir profile's
// networks; the FBSDE's memoir profile steps by Heun with moment matching,
// which the benchmark replaces by the reference's Euler steps without it
// (Measure).
//
// The Go side ([Measure]) is a training run of the solver itself (its
// Train, on the backend that package backend chooses: $GOMLX_BACKEND
// when set), without evaluations or checkpoints, cancelled once the timed
// epochs are done. An epoch's time runs from the end of the previous epoch
// to the end of this one: it includes the random draws, made in the
// graph, and the training loop's copy of the variables; the first epoch
// also builds and compiles the graph. The PyTorch side is
// torch_reference.py (embedded; [Torch]), at one thread, which draws an
// epoch's random numbers before its clock starts. Each side reports the
// median and the minimum over the epochs after the first -warmup (2: the
// Go side compiles in the first, PyTorch's allocator warms up in the first
// two).
//
// Peak memory: each method runs in a process of its own on each side (the
// Go side in a worker, `mfe bench -worker METHOD`, [InChild]), and its peak
// is that process's maximum resident set size: on the PyTorch side it
// includes the interpreter and its libraries (about 250 MiB); on a GPU it
// is the host's memory, not the device's. [Measure]
// called in a process that did something before reports the peak since it
// began instead (VmHWM, reset through /proc/self/clear_refs).
//
// PyTorch is looked for as python3 on the PATH, then /usr/bin/python3, or
// as -python says; without it one line says so and the Go side is printed
// alone. On Debian, as root:
//
//	source setup/apt.sh; SUDO=(); apt_get install -y python3-torch libopenblas0-pthread
//
// Debian's PyTorch calls the system's BLAS (libblas.so.3), which without
// OpenBLAS is the reference BLAS: its products are 50 times slower (330 ms
// against 6 ms for [10,000, 128] × [128, 128] at one thread), which makes
// the comparison meaningless. The heading names the BLAS library PyTorch
// loaded and a last line warns when it is the reference one
// ([ReferenceBLAS]). The reference runs without OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE in its environment, and with --device cuda when the Go
// side's backend is a CUDA one.
//
// # Where the time goes
//
// CPU profiles of the epoch on the Go backend (GoMLX v0.28.16, compute
// v0.1.14, GOEXPERIMENT=simd, 2 cores of an AVX-512 Xeon), taken on
// 2026-12-05 while the machine ran other jobs (load average 7 to 15 on its
// 2 cores), so that only the shares are meaningful, not the times:
//
//	cd mfe
//	go test -run NONE -bench MemoirEpoch -benchtime 1x -cpuprofile dm.cpu -memprofile dm.mem -o dm.test ./solver/directmfc
//	go test -run NONE -bench 'MemoirEpoch/euler' -benchtime 1x -cpuprofile fb.cpu -memprofile fb.mem -o fb.test ./solver/fbsde
//	go tool pprof -top dm.test dm.cpu
//
// Each profile covers 4 epochs, the compiling one included; the FBSDE's is
// the memoir profile with Euler steps. Shares of the
// CPU samples, by what the sampled stack was doing:
//
//	                                             direct MFC   FBSDE (Euler)
//	matmul kernels (AVX-512) and their packing       46.5 %       42.3 %
//	materialised transposes (ops.transpose2D)        29.0 %       30.5 %
//	element-wise ops (SIMD)                          22.7 %       24.4 %
//	  of which ReLU's Max (forward)                  10.3 %       13.0 %
//	  of which Sub, Sign, Add, Mul (mostly ReLU's
//	  derivative, see below)                         11.9 %       10.8 %
//	reductions, concatenation, broadcast, fill        0.6 %        1.5 %
//	allocation and garbage collection                 0.3 %        0.2 %
//	scheduling and synchronisation                    0.5 %        0.5 %
//	the rest (building and compiling the graph)       0.4 %        0.4 %
//
// runtime.asyncPreempt is the sampled function in 9.6 % (direct MFC) and
// 14.4 % (FBSDE) of the samples, inside the kernels above; turning
// asynchronous preemption off (GODEBUG=asyncpreemptoff=1) did not lower
// the CPU time of an epoch (below), so it is not a cost that option
// removes. The arithmetic is all float32, and the kernels that run are the
// AVX-512 ones.
//
// Allocations: the first epoch allocates the live set (3.7 GiB for direct
// MFC, 2.5 GiB for the FBSDE, of which the peak resident memory, 3.0 GiB
// and 2.0 GiB, is what stays); every later epoch reuses the backend's
// buffers and allocates about 60 MiB (direct MFC, 68,000 objects) and
// 40 MiB (FBSDE, 51,000 objects), with no garbage collection at all
// (runtime.MemStats around each epoch, in a worker at the full size). The
// allocation profile agrees: 93 to 95 % of the bytes come from the
// backend's GetBuffer, in the first epoch.
//
// Side by side (bin/mfe bench, the same day and load, so again not for the
// record): the Go side's median was 13.1 s against PyTorch's 9.5 s per
// direct-MFC epoch (ratio 0.73) and 8.5 s against 5.4 s per FBSDE epoch
// (0.63), close to the 0.6 measured on the quiet machine before; the Go
// side spent 7.4 s and 5.0 s of CPU per epoch on its two cores where
// PyTorch spent 5.7 s and 3.1 s on one, and peaked at 3.2 GiB and 2.1 GiB
// against PyTorch's 6.0 GiB and 4.1 GiB.
//
// Transposes (of row-major layers, as in these profiles; the FBSDE has
// run feature-major since, below). The weight gradient of a layer y = x W
// is xᵀ v, which GoMLX's reverse mode writes as a DotGeneral contracting
// the leading (particle) axis of both x and v ([10,000, 128]). The Go backend's matmul kernels
// take a left operand contracted on its trailing axis only, so the backend
// first materialises both operands transposed, with a scalar generic loop
// (ops.transpose2D): two transposes per layer and step, of which six (direct
// MFC) and four (FBSDE) of [10,000, 128], 600 and 400 per epoch: the 29 to
// 31 % above.
// BenchmarkWeightGradient reproduces it for one layer: the product as
// reverse mode writes it (contracting the leading axis) took 7.9 ms, the
// same product with both operands stored [128, 10,000] (contracting the
// trailing axis, no transpose) 4.0 ms (2 threads, least of 5 runs of 10).
//
// ReLU. The networks' ReLU is Max(x, 0), whose derivative GoMLX builds as
// NonNegativeIndicator(x - 0) ⊙ v = Sign(Sign(x - 0) + 1) ⊙ v: five
// element-wise passes over [10,000, 128] per hidden layer and step, where
// PyTorch's ReLU takes one. Element-wise ops store every result: they are
// bound by memory, not arithmetic.
//
// # Feature-major layout
//
// The FBSDE and direct MFC run their rollouts on particle rows [1, N] and
// apply their networks feature-major (nn.MLP.ApplyCols: activations [units,
// particles], y = Wᵀ x + b), from the same variables, W [in, out] and b
// [out], so that every saved checkpoint loads as before. Two GoMLX
// limitations decide what that gains:
//
//   - The Go backend's matmul kernels take an lhs [M, K] with an rhs
//     [K, N] or [N, K] only; for any other DotGeneral the backend first
//     materialises transposed operands (dot.TransposeToLayout, then the
//     scalar loop ops.transpose2D).
//   - GoMLX's reverse mode writes the gradient of a DotGeneral's rhs
//     operand as a DotGeneral whose lhs is the output's gradient v
//     contracted on its leading axis, then transposes that product into
//     the operand's layout.
//
// Row-major (y = x W), W is the rhs: its gradient transposes v and x,
// [10,000, 128] each. Feature-major (y = Wᵀ x), the weight gradient v xᵀ
// contracts the trailing axis of both operands and takes the kernels as
// it is, but x is now the rhs, and its gradient transposes v and the
// product: the transposes move from the weight gradients to the input
// gradients, and most of them remain (24.5 % of the FBSDE's CPU samples
// against 31 % row-major, profiled as above, one after the other). So
// nn.DenseCols.Apply gives x its gradient W v itself, an lhs [in, out]
// with an rhs [out, N] that needs no transpose: an identity with a custom
// gradient on each side of the product, the output's recording v, the
// input's returning W v; the product's own gradient for x is then unused
// and the backend leaves it out of the compiled graph. The weights are
// transposed once per graph ([128, 128] at most). Storing them [out, in]
// would save only those small transposes and would break every saved
// checkpoint: not worth it.
//
// The minimal reproduction is BenchmarkRolloutGradient in package nn: a
// 10-step rollout of the direct-MFC network (2 → 128 → 128 → 128 → 1,
// 10,000 particles), forward and gradient, row-major ("rows"),
// feature-major with GoMLX's gradients ("cols-gomlx-grad") and
// feature-major with DenseCols' ("cols"):
//
//	go test -run NONE -bench RolloutGradient -benchtime 3x ./mfe/nn
//
// Per call, 3 calls each, the three alternated twice in one script on
// 2026-12-05 (load average 6 to 9): rows 1.00 and 0.98 s,
// cols-gomlx-grad 0.77 and 0.62 s, cols 0.61 and 0.48 s. Earlier the
// same day, under a load of 15 to 18, rows took 2.6 to 3.4 s and cols
// (with GoMLX's gradients then) 0.9 to 1.1 s: the row-major transposes
// also wait longer for the busy cores.
//
// The memoir-size FBSDE epoch, mfe bench -methods fbsde -epochs 3
// -warmup 1, with binaries built from the code before (row-major) and
// after, run alternately (before, after, four times; the last two
// afters followed by the PyTorch reference) in scripts on 2026-12-05,
// 09:44 to 09:59 UTC, while the machine ran other jobs (load average 6 to
// 18 on its 2 cores); CPU seconds (both cores) and wall seconds of the 3
// epochs after the first, and the peak resident memory:
//
//	                 CPU s/epoch          wall s/epoch             peak
//	row-major        5.04 5.18 5.06       20.5 37.6 27.9           2.02 GiB
//	feature-major    3.00 2.98 2.98       12.4 15.5 17.7           2.02 GiB
//	row-major        5.18 5.12 5.11       31.6 31.0 24.6           2.04 GiB
//	feature-major    2.93 2.96 2.99       18.5 21.4 16.4           2.01 GiB
//	row-major        5.20 5.30 5.25       37.3 26.1 16.6           2.03 GiB
//	feature-major    2.98 2.88 2.89        8.6 10.9 11.1           2.01 GiB
//	PyTorch          3.28 2.21 3.53        7.6  5.8  5.7           4.05 GiB
//	row-major        4.98 5.02 5.09       17.8 12.5 13.9           2.02 GiB
//	feature-major    2.86 3.05 2.92        8.5 13.5 10.8           2.01 GiB
//	PyTorch          4.15 2.16 3.91       12.5  6.5 12.2           4.05 GiB
//
// The wall times follow the load; the CPU time per epoch is what the
// layout moves: 1.72 times less (medians 5.12 and 2.97 s), peak memory
// unchanged. So do allocations: the memory profiles of the 4 epochs of
// BenchmarkMemoirEpoch/euler (the compiling one included; 95 % of the
// bytes from the backend's GetBuffer) show 2.60 GB in 425,000 objects
// after against 2.65 GB in 459,000 before. In an earlier
// alternation of the same kind, feature-major with GoMLX's gradients
// took 4.6 to 5.3 s of CPU per epoch against 5.2 to 6.1 s row-major and
// 3.0 to 3.2 s with DenseCols'. PyTorch (one thread) ran twice, each
// right after an after-row, not for the record at this load: its CPU per
// epoch (2.2 to 4.2 s) is now about the project's, its wall time from
// half of the project's to about the same, the load leaving its one
// thread a larger share of a core than the project's two.
//
// The after-state's CPU profile (go test -run NONE -bench
// 'MemoirEpoch/euler' -benchtime 1x -cpuprofile ./mfe/solver/fbsde: 4
// epochs, the compiling one included, 12.1 s of CPU over 18.4 s, at a
// load average of about 6), by the categories above: matmul kernels and
// their packing 69.2 %, element-wise ops 26.8 % (of which ReLU's Max
// 7.5 %), reductions 1.6 %, scheduling 0.7 %, garbage collection and
// buffers 0.9 %, transposes 0.1 %. The top of go tool pprof -top:
//
//	avx512LargeKernelFloat32Asm          23.5 %
//	matmul.unsafePackLHS                 10.9 %
//	avx512SmallFloat32NonTransposedAsm   10.0 %
//	avx512SmallFloat32TransposedAsm       7.6 %
//	runtime.asyncPreempt                  7.5 %
//	avx512PackLHSKernelRows8Float32Asm    4.7 %
//	avx512SmallNonTransposedTile4x64      4.1 %
//	ops.simdMulVVFloat32                  3.6 %
//	archsimd.Float32x16.Store             3.5 %
//	avx512PackRHSFullStripsAsm            3.4 %
//	ops.simdMaxVSFloat32                  3.4 %
//
// What remains is the arithmetic and its packing (about 1.0·10¹¹ flops
// per epoch: about 50 Gflop per CPU second in the kernels), the element-wise
// passes (ReLU and its five-op derivative above) and, in the packing,
// copies the kernels make of every operand; the [out, N] products of
// the forward pass and of the input gradients (K = 128, N = 10,000) run
// on the "small" kernels.
//
// The learned controls are the same to rounding: the quick profile's
// control_mse and control_rel (mfe train -method fbsde -profile quick
// -fresh, MFG and MFC, seeds 1 and 2) agree with the row-major code's to
// 1e-5 relative, and the six saved default runs (notebooks/results/
// fbsde-{mfg,mfc}-default) reload and pass their control check.
//
// Direct MFC made the same change (particle rows [1, N], its control
// network through ApplyCols; the costs and model.Bound are elementwise).
// Its memoir-size epoch (mfe bench -methods direct-mfc -epochs 3 -warmup
// 1 -torch=false), before and after alternated twice in one script on
// 2026-12-05, 10:25 to 10:29 UTC, load average 11 to 12: CPU 6.99 6.56
// 7.35 and 7.05 6.95 7.20 s/epoch before against 4.22 4.16 4.34 and
// 4.14 4.16 4.21 after, 1.68 times less (medians 7.02 and 4.19 s); wall
// 11.5 to 22.6 s against 5.2 to 15.3 s; peak 2.96 to 3.03 GiB both. The
// quick profile's first loss is bit for bit the row-major code's and its
// later ones agree to 2e-5 relative; after its 150 epochs control_rel
// agrees to 2e-4 relative (seeds 1 and 2, LQ; 4e-6 capped at A = 1,
// seed 1), Adam carrying the rounding, and the three saved runs
// (notebooks/results/direct-mfc-mfc-default) reload and re-evaluate
// (mfe train -reevaluate) with no metric changed.
//
// # The worker pool
//
// The Go backend runs a graph with up to 8 executors, goroutines that take
// ready ops from a queue, and each op that splits its work (a matrix
// product, an element-wise pass over more than a few thousand values)
// fans it out to workers of one pool. With GoMLX's default limit on that
// pool, twice GOMAXPROCS (4 here), the executors hold the pool's places
// while they wait for ops, and an op that fans out waits in
// workerspool.Pool.Saturate until some task elsewhere ends and frees a
// place. The ops of a training graph mostly depend on the one before, so
// that on 2 cores a memoir-size direct-MFC epoch took as long as on one.
// Package backend now creates the Go backend with no limit
// ("go:parallelism=-1", backend.GoParallelism): an op then starts its
// workers at once, as many as GOMAXPROCS, and splits its work into the
// same parts as with the limit (the pool's adjusted parallelism is
// GOMAXPROCS either way), so every result is the same to the last bit.
//
// BenchmarkOpChain is the minimal reproduction: ten feature-major layers
// ReLU(Wᵀ x), x [128, 10,000], forward only, per call (20 calls, two runs
// on 2026-12-06 on the quiet machine):
//
//	go test -run NONE -bench OpChain -benchtime 20x -cpu 1,2 ./mfe/bench
//
//	                      1 core        2 cores
//	gomlx-default-pool    27.2 29.1 ms  28.3 29.0 ms
//	unlimited-pool        17.0 17.7 ms  16.8 17.2 ms
//
// The memoir-size epochs (BenchmarkMemoirEpoch of package directmfc, and
// 'MemoirEpoch/euler' of package fbsde, 4 epochs each, the compiling one
// included; seconds per epoch after it), one after the other on
// 2026-12-06 between 03:23 and 03:27 UTC, load average below 1.5, with
// GOMLX_BACKEND set to each configuration:
//
//	                                 direct MFC   FBSDE
//	go (GoMLX's default pool)          3.00       1.51
//	go:parallelism=-1                  1.96       1.13
//	go:ops_sequential                  3.12       2.16
//	go:parallelism=-1,ops_sequential   3.14       2.13
//	go:parallelism=-1,num_executors=2  1.95       1.12
//	go:parallelism=16                  2.04       1.11
//	go:parallelism=-1 (again)          1.89       1.08
//
// and mfe bench -epochs 4 -warmup 1 -torch=false (medians), before and
// after the change: 2.96 and 1.41 s before, 1.99 and 1.12 s after, with
// the same peaks (1.9 and 1.3 GiB). With GOMAXPROCS=1 the epoch takes
// 3.10 and 2.05 s (default pool) and 3.16 and 2.00 s (no limit): two
// cores now make the epoch 1.55 (direct MFC) and 1.75 (FBSDE) times
// faster than one, where they made it 1.05 and 1.45 times faster before.
// The quick profile of every method (mfe train -method M -profile quick,
// seed 1) gives result.json files equal in every number but the times,
// before and after (direct MFC, FBSDE, DGM, Q-learning, finite
// differences, actor–critic: control_rel 0.06479835435669344 both).
//
// The direct-MFC epoch's CPU profile after the change
// (BenchmarkMemoirEpoch, as in "Where the time goes", 2 cores, quiet):
// 14.9 s of CPU over 8.6 s (173 %), of which
//
//	matmul kernels (AVX-512)                           34.6 %
//	packing the operands                               22.5 %
//	  of which the scalar matmul.unsafePackLHS         15.9 %
//	"small" products (one side of 1 or 2 rows)         17.2 %
//	element-wise ops                                   19.8 %
//	  of which the scalar GreaterOrEqual (ReLU's
//	  gradient)                                         6.9 %
//	scheduling, allocation, the rest                    5.9 %
//
// matmul.unsafePackLHS is a scalar Go loop that packs the rhs of a
// product in the "transposed" layout ([N, K], both operands contracted on
// their trailing axis): here the weight gradients v xᵀ, of [128, 10,000]
// each. The backend splits such a product ([128, 128] output) into four
// parts of 32 rows, and each part packs the whole rhs again, so that it
// is packed four times on 2 cores (once on one core: 9 % of the CPU
// there). The "small" products are those of the first layer (2 inputs)
// and of the last (1 output): memory-bound, each reads or writes a [128,
// 10,000] array; GoMLX's comparisons (GreaterOrEqual) have no SIMD code.
// BenchmarkThinProducts reproduces these costs one op at a time (per
// call, with the copy of its inputs; 40 calls, on 1 core and on 2,
// 2026-12-06):
//
//	go test -run NONE -bench ThinProducts -benchtime 40x -cpu 1,2 ./mfe/bench
//
//	outer/dot              2.73 ms   2.28 ms   W v as a product over one term
//	outer/mul              0.96 ms   1.06 ms   W v as Mul
//	row-grad/one-row       0.79 ms   0.73 ms   v xᵀ, [1, 128]
//	row-grad/one-column    0.30 ms   0.29 ms   x vᵀ, [128, 1]
//	relu-grad/where        1.93 ms   2.53 ms   Where(x >= 0, v, 0)
//	relu-grad/max-pass     1.00 ms   0.91 ms   Max(x, 0), one SIMD pass
//
// # Levers
//
// Each with what it would change and what it measured. A lever is adopted
// only if it leaves a trained run's numbers and its checkpoint's variables
// as they are. Those measured on 2026-12-05 ran against the default in one
// script run that alternated them (A B C C B A: the load changed by a
// factor of 2 within minutes), 3 epochs each at the full size, wall and
// CPU seconds of the epochs after the first; those of 2026-12-06, on the
// quiet machine, as each entry says:
//
//   - Backend option GOMLX_BACKEND=go:ops_sequential (the Go backend runs
//     one op at a time, each still on all cores, instead of up to 8 ready
//     ops at once). Same losses to the last digit (4 epochs), same CPU time
//     per epoch (direct MFC 6.3 to 6.6 s against 6.6 to 6.8 s; FBSDE 4.4
//     to 4.6 s against 4.5 to 4.9 s), lower wall time in every
//     alternation (direct MFC 8 to 13 s against 16 to 19 s; FBSDE 8 to
//     13 s against 13 to 18 s): the cores wait less. On a loaded machine
//     only: measured quiet (2026-12-06, 01:23 to 01:25 UTC, load average
//     0.8 to 1.4, `bin/mfe bench -epochs 4 -warmup 1 -torch=false`,
//     default, sequential, sequential, default) it is no faster for direct
//     MFC (medians 3.06 and 3.01 s against 2.98 and 3.07 s) and slower for
//     the FBSDE (2.13 and 2.15 s against 1.46 and 1.45 s), with half as
//     much memory again at its peak (2.97 and 2.01 GiB against 1.90 to
//     1.97 and 1.31 to 1.32 GiB). No lever.
//   - GODEBUG=asyncpreemptoff=1: CPU time per epoch unchanged (6.4 to
//     7.0 s against 6.6 to 6.8 s, direct MFC), wall time no better. No
//     lever.
//   - Backend option parallelism=-1: adopted ("The worker pool" above).
//   - The AVX-512 kernels' blocking, set by GOMLX_GO_AVX512_MC, _NC and
//     _KC (read when the process starts; defaults 32, 512 and 192 for
//     float32): mfe bench -epochs 3 -warmup 1 -torch=false on 2026-12-06
//     (direct MFC and FBSDE medians): defaults 1.96 and 1.11 s; MC=64
//     2.03 and 1.15; MC=128 2.06 and 1.15; NC=2048 2.04 and 1.20; KC=128
//     2.13 and 1.15; KC=256 1.99 and 1.10. No lever.
//   - The last layer (one output) with its weight gradient x vᵀ, the
//     product with one column, in place of GoMLX's v xᵀ, the product with
//     one row, which the Go backend's "small" kernel runs 2.5 times
//     slower (BenchmarkThinProducts, above): adopted (nn.DenseCols.Apply).
//     Every quick-profile result stays the same to the last bit (direct
//     MFC, FBSDE, DGM, actor–critic), and mfe bench -epochs 4 -warmup 1
//     -torch=false, alternated three times on 2026-12-06 (03:57 to 04:00 UTC),
//     gave 1.95, 1.98 and 1.98 s against 2.00, 2.05 and 1.98 s per
//     direct-MFC epoch, 1.05, 1.07 and 1.10 s against 1.13, 1.14 and
//     1.11 s per FBSDE epoch: 2 and 5 % less.
//   - Its input gradient W v (W [in, 1], v [1, particles]) written as an
//     element-wise product instead of a product over one term, which the
//     same kernel makes 2 to 3 times slower than Mul: direct MFC's and
//     the FBSDE's numbers stay the same to the last bit, and with the
//     weight gradient above the epoch was about 3 % faster (1.92 and
//     1.89 s against 1.96 s, 1.09 and 1.05 s against 1.11 s); but the
//     actor–critic, which differentiates its score network twice, then
//     sums a second derivative in another order, and its quick profile's
//     control_rel moves from 0.0647984 to 0.0646776. Not adopted: saved
//     runs would no longer be retrained to the digit.
//   - ReLU's gradient as v ⊙ Sign(y) (y the layer's output, only SIMD
//     ops, but 0 at x = 0 where Max's is 1): slower (2.10 and 2.06 s
//     against 1.96 s per direct-MFC epoch), with 55 % more memory at the
//     peak (2.97 against 1.9 GiB: y is kept for the backward pass), and
//     exact zeros do occur in direct MFC's pre-activations (its quick
//     profile's result changes). Not adopted.
//   - The particles split into two halves as a batch axis of every
//     product ([2, units, particles/2]: each half one task of the pool,
//     and each weight gradient's rhs packed once): slower, 313 and 326 ms
//     (two and four parts) against 191 ms for the 10-step rollout of
//     BenchmarkRolloutGradient. Not adopted.
//   - GoMLX's fused dense (github.com/gomlx/gomlx/ml/nn.Dense with
//     activation.TypeRelu: one FusedDense node forward, one FusedDenseVJP
//     backward, which applies ReLU's derivative, both products and the bias
//     sum in one op, with one transpose instead of two; only first
//     derivatives, so for direct MFC and the FBSDE but not the DGM). The
//     variables (W [in, out], b [out]) stay, so checkpoints reload.
//     TestFusedLayerAgrees: one hidden layer's gradients agree with the
//     unfused layer's (on the Go backend they came out bitwise equal); but
//     its ReLU derivative at a pre-activation of exactly 0 is 0 where
//     Max's is 1, and exact zeros can occur among the 10¹⁰ to 10¹¹
//     pre-activations of a training run, so its numbers could change: not
//     tried in the solvers. BenchmarkLayer (one layer forward and backward at
//     [10,000, 128]): 18 ms unfused against 30 ms fused at 2 threads
//     (least of 5): with compute v0.1.14 the fused backward is slower, 19 %
//     of it in a bias sum that strides down columns, one task per column,
//     and its transpose is single-threaded, into a fresh allocation each
//     call. A lever once GoMLX fixes these.
//   - Fewer materialised transposes: in GoMLX, by packing the transposed
//     operand straight into the matmul's packed layout (the packing copies
//     it anyway) or by a SIMD transpose, or by a reverse mode that writes
//     an rhs operand's gradient as a product the kernels take; in the
//     project, by the feature-major layout (above): done for the FBSDE
//     and direct MFC, 1.72 and 1.68 times less CPU per epoch.
//   - A ReLU whose derivative is one op (v where x ≥ 0, else 0, keeping
//     Max's convention at 0): GoMLX has no such op, and its fused
//     activation (BackendFusedActivation) takes 0 at 0, which changes
//     numbers as above; nn's ReLU builds it from Where and two identities
//     with custom gradients. Done: TestReLUGradient finds its values and
//     first and second gradients bit for bit Max's, at ±0 included; the
//     quick profiles' results (direct MFC, FBSDE MFC, seed 1) are
//     unchanged to the last bit and the saved direct-mfc and fbsde default
//     runs re-evaluate with no metric changed. The memoir-size epochs
//     (mfe bench -methods direct-mfc,fbsde -epochs 3 -warmup 1
//     -torch=false), before and after alternated twice on 2026-12-05,
//     10:30 to 10:38 UTC, load average 11 to 13: CPU per epoch little
//     changed (direct MFC 4.36 to 4.61 s against 4.18 to 4.49 s, medians
//     4.41 and 4.37; FBSDE 2.91 to 3.06 s against 2.85 to 2.93 s,
//     medians 2.99 and 2.89), but peak memory 36 % lower (direct MFC
//     2.96 against 1.90 to 1.91 GiB, FBSDE 2.02 against 1.30 to 1.31 GiB).
//   - Time as a feature computed once: the fill and concatenation of t at
//     each step are 0.1 % of the CPU. No lever.
//   - Allocations: none to remove in the steady epochs (above).
package bench
