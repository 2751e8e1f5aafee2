"""Where an energy MLP's first-layer units sit, in PyTorch float64: exact score matching on 8gaussians.

A quick probe of architecture and initialization choices for the energy model's exact (Hyvärinen) loss, outside
the Java engine: 2000 training points, batch 256, Adam 3e-3 with cosine decay to 1 %, 3000 steps, softplus
2-64-64-1 with PyTorch's default initialization; prints the Fisher divergence ½E‖s − ∇log p‖² on 20 000 fresh
points. Results in docs/training.md ("Where the first layer's units sit").

    /usr/bin/python3 bench/energy_init.py seed=1 [kind=energy|score] [binit=data] [insc=0.5] [oscale=1]
        [head=linear|sq k=16] [beta=1] [quad=learn] [resid=1 depth=3] [act=softplus|silu|sp2|tanh] [b2=0.999]

binit=data anchors each first-layer unit's hyperplane at a random training point (b_i = −w_i·x_j), as
EnergyMlp.initialParameters(seed, points) does; insc scales the input (x ↦ insc·x) before the first layer.
"""
import os, sys, math, time
os.environ.setdefault("OMP_NUM_THREADS","1"); os.environ.setdefault("OPENBLAS_NUM_THREADS","1")
import torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.set_default_dtype(torch.float64)
args = dict(a.split("=") for a in sys.argv[1:])
seed=int(args.get("seed",1)); width=int(args.get("width",64)); depth=int(args.get("depth",2))
act=args.get("act","softplus"); head=args.get("head","linear"); steps=int(args.get("steps",3000))
lr=float(args.get("lr",3e-3)); batch=int(args.get("batch",256)); n=int(args.get("n",2000))
kind=args.get("kind","energy"); beta=float(args.get("beta",1)); k=int(args.get("k",16))
quad=args.get("quad","none"); insc=float(args.get("insc",1)); resid=int(args.get("resid",0))
torch.manual_seed(seed)
r=1/math.sqrt(2); C=torch.tensor([[1,0],[-1,0],[0,1],[0,-1],[r,r],[r,-r],[-r,r],[-r,-r]])*4/1.414; S=0.5/1.414
def sample(m):
    i=torch.randint(0,8,(m,)); return C[i]+S*torch.randn(m,2)
def true_score(x):
    d=x[:,None,:]-C[None]; lw=-(d**2).sum(-1)/(2*S*S); w=torch.softmax(lw,1)
    return -(w[:,:,None]*d).sum(1)/(S*S)
def A(z):
    if act=="softplus": return F.softplus(beta*z)/beta
    if act=="silu": return F.silu(z)
    if act=="sp2": return F.softplus(z)**2/2
    if act=="tanh": return torch.tanh(z)
    raise Exception(act)
class Net(nn.Module):
    def __init__(s):
        super().__init__(); dims=[2]+[width]*depth
        s.L=nn.ModuleList([nn.Linear(dims[i],dims[i+1]) for i in range(depth)])
        out = 2 if kind=="score" else (k if head=="sq" else 1)
        s.out=nn.Linear(width,out)
        if quad=="learn": s.q=nn.Parameter(torch.zeros(2))
    def forward(s,x):
        h=x*insc
        for i,l in enumerate(s.L):
            z=A(l(h)); h = h+z if (resid and i>0) else z
        o=s.out(h)
        if kind=="score": return o*insc if args.get("oscale") else o
        E = 0.5*(o**2).sum(-1) if head=="sq" else o[:,0]
        if quad=="learn": E = E + 0.5*(F.softplus(s.q)*x*x).sum(-1)
        return E
net=Net()
data=sample(n)
if args.get("binit")=="data":
    with torch.no_grad():
        l0=net.L[0]; j=torch.randint(0,n,(width,)); l0.bias.copy_(-(l0.weight*data[j]*insc).sum(1))
opt=torch.optim.Adam(net.parameters(),lr=lr,betas=(float(args.get("b1",0.9)),float(args.get("b2",0.999))))
sched=torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.01+0.99*0.5*(1+math.cos(math.pi*min(t,steps)/steps)))
def score_and_div(x, create):
    x=x.requires_grad_(True)
    if kind=="score":
        s=net(x); div=0
        for d in range(2): div=div+torch.autograd.grad(s[:,d].sum(),x,create_graph=create)[0][:,d]
        return s,div
    E=net(x); g=torch.autograd.grad(E.sum(),x,create_graph=True)[0]; s=-g; div=0
    for d in range(2): div=div+torch.autograd.grad(s[:,d].sum(),x,create_graph=create)[0][:,d]
    return s,div
test=sample(20000)
def fisher():
    s,_=score_and_div(test.clone(),True)
    return 0.5*((s.detach()-true_score(test))**2).sum(-1).mean().item()
t0=time.time()
for t in range(steps):
    x=data[torch.randint(0,n,(batch,))].clone()
    s,div=score_and_div(x,True); loss=(div+0.5*(s**2).sum(-1)).mean()
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    if (t+1)%1000==0: print(f"  step {t+1} loss {loss.item():.3f} fisher {fisher():.3f}", flush=True)
print("RESULT", " ".join(f"{a}={b}" for a,b in args.items()), f"fisher={fisher():.3f}", f"sec={time.time()-t0:.0f}", flush=True)
