import sys
sys.path.insert(0, ".")
from make_wheel import make_wheel
for name, summary in [("monnaie", "Formate des montants en euros."), ("remises", "Applique une remise en pourcentage.")]:
    print(make_wheel(sys.argv[1], name, "1.0.0", summary, {f"{name}.py": open(f"{name}.py").read()}, {}))
