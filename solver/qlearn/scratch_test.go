package qlearn
import ("testing";"fmt";"context";"os";"strconv";"github.com/mf-optimal-execution/mfe")
func TestScratch(t *testing.T){
 prof := mfe.Profile(os.Getenv("QP")); if prof=="" {prof=mfe.Quick}
 cfg,_:=ProfileConfig(prof)
 if v:=os.Getenv("EPS_N"); v!="" { cfg.Episodes,_ = strconv.Atoi(v) }
 if v:=os.Getenv("EXPQ"); v!="" { cfg.ExpQ,_ = strconv.ParseFloat(v,64) }
 if v:=os.Getenv("LEV"); v!="" { cfg.Levels,_ = strconv.Atoi(v) }
 if v:=os.Getenv("NODE"); v!="" { cfg.TimeNode,_ = strconv.ParseFloat(v,64) }
 reg := mfe.Regime(os.Getenv("REG")); if reg=="" {reg=mfe.MFG}
 cfg.Checkpoints=10
 res,err:=Train(context.Background(), mfe.Reference(), reg, cfg, 1, nil)
 if err!=nil {t.Fatal(err)}
 h:=res.History
 for k:=range h.Epoch { fmt.Printf("ep %d loss %.3g rel %.4f law %.4f maxT %.4f\n", h.Epoch[k], h.Loss[k], h.Extra["control_rel"][k], h.Extra["control_rel_law"][k], h.Extra["control_rel_max_t"][k]) }
 fmt.Printf("final rel %.4f  byT %.3f\nwall %.1fs\n", res.Metrics.ControlRel, h.Extra["control_rel_by_time"], res.WallTime)
 tb:=res.Control.(*Tables)
 fmt.Printf("grid %+v da %v na %d\n", tb.Grid, tb.DA, tb.NA)
 for _,tt:=range []float64{0,0.5,1}{ o:=make([]float64,1); tb.Eval(tt,[]float64{0.5},o); fmt.Printf("a(%v,0.5)=%.4f\n",tt,o[0])}
}
