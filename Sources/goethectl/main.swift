print("goethectl")
