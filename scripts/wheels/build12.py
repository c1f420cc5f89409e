import sys
sys.path.insert(0, ".")
from make_wheel import make_wheel
src = open("csv_vers_json.py").read()
print(make_wheel(sys.argv[1], "csv-vers-json", "1.0.0", "Convertit un fichier CSV en JSON.", {"csv_vers_json.py": src}, {"csv-vers-json": "csv_vers_json:main"}))
