print("spectag")
